package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers share 4 shards; one is SIGKILLed mid-stream; the survivor takes its leases; nothing lost or double-counted.
 * Both write the lag metric, and the survivor's covers every shard after the takeover.
 */
@WithLocalStack
class WorkerFailoverIT {

    @Test
    void survivorTakesOverWithoutLossOrDoubleCounting(LocalStack stack, @TempDir Path dir) throws Exception {
        ConsumerSetup setup = new ConsumerSetup("failover", stack.endpoints());
        TestStores.create(stack, setup);
        stack.createStream(setup.stream, 4);
        List<InteractionEvent> events = new ArrayList<>();
        new SyntheticWorkload(SyntheticWorkload.Config.reference(23, 8_000, System.currentTimeMillis() - 600_000L)).forEach(events::add);
        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), setup);

        try (ChildConsumer a = ChildConsumer.start(setup.writeConfig(dir, "worker-a"), dir, "worker-a");
             ChildConsumer b = ChildConsumer.start(setup.writeConfig(dir, "worker-b"), dir, "worker-b")) {
            // The first half arrives while both run; wait until they share the leases.
            TestTraffic.send(stack, setup.stream, events.subList(0, 4_000));
            Await.until("both workers to hold leases and make progress", Duration.ofMinutes(2),
                    () -> owners(inspect).containsAll(List.of("worker-a", "worker-b")) && inspect.interactions().size() > 1_000,
                    () -> "leases " + inspect.leases() + "\nA:\n" + a.logTail() + "\nB:\n" + b.logTail());

            // Each worker writes its own lag metric (EMF on stdout, what CloudWatch Logs turns into the scaling metric).
            Await.until("both workers to write the lag metric", Duration.ofSeconds(30),
                    () -> !a.lagDocuments(setup.stream).isEmpty() && !b.lagDocuments(setup.stream).isEmpty(),
                    () -> "A:\n" + a.logTail() + "\nB:\n" + b.logTail());

            // Kill A while the second half is still being produced.
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 4_000; i < 8_000; i += 500) {
                        TestTraffic.send(stack, setup.stream, events.subList(i, i + 500));
                        Thread.sleep(200);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.sleep(1_000);
            a.kill9();
            rest.get();

            Await.until("B to own every shard and checkpoint everything", Duration.ofMinutes(2),
                    () -> inspect.leases().stream().allMatch(l -> "worker-b".equals(l.owner()))
                            && TestTraffic.fullyCheckpointed(stack, setup, inspect)
                            && Expectations.s3Complete(inspect, events.size()),
                    () -> "leases " + inspect.leases() + "\nB:\n" + b.logTail());
            Expectations.exactlyOnceEverywhere(inspect, events);
            assertThat(b.isAlive()).isTrue();

            // After the takeover B's lag metric covers every shard; each document carries the contract's metric in ms.
            Await.until("B's lag metric to cover all 4 shards", Duration.ofSeconds(30),
                    () -> b.lagDocuments(setup.stream).stream().anyMatch(d -> d.path("Shards").asInt() == 4),
                    () -> "B's lag documents: " + b.lagDocuments(setup.stream));
            Contract.ConsumerLag names = Contract.get().metrics().consumerLag();
            List<JsonNode> docs = b.lagDocuments(setup.stream);
            assertThat(docs).allSatisfy(d -> {
                assertThat(d.path(names.metric()).isNumber()).as("%s", d).isTrue();
                assertThat(d.path(names.metric()).asLong()).isGreaterThanOrEqualTo(0);
                assertThat(d.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText()).isEqualTo(names.metric());
                assertThat(d.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText()).isEqualTo("Milliseconds");
                assertThat(d.path("WorkerId").asText()).isEqualTo("worker-b");
            });
            System.out.printf("lag metric: A wrote %d documents, B %d; B's last: %s%n", a.lagDocuments(setup.stream).size(), docs.size(),
                    docs.get(docs.size() - 1));
        }
    }

    private static List<String> owners(StoreInspector inspect) {
        return inspect.leases().stream().map(StoreInspector.Lease::owner).distinct().collect(Collectors.toList());
    }
}
