package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DynamoDB and then S3 fail under a running consumer: the checkpoint never moves past data that
 * is not durable in every store, nothing is dropped, and once the faults clear everything lands once.
 */
@WithLocalStack
class StoreFaultsIT {

    @Test
    void checkpointWaitsForEveryStoreAndEverythingLandsAfterRecovery(LocalStack stack, @TempDir Path dir) throws Exception {
        ConsumerSetup setup = new ConsumerSetup("faults", stack.endpoints());
        stack.createStream(setup.stream, 2);
        List<InteractionEvent> events = new ArrayList<>();
        new SyntheticWorkload(SyntheticWorkload.Config.reference(7, 3_000, System.currentTimeMillis() - 600_000L)).forEach(events::add);
        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), setup);
        FaultInjector faults = new FaultInjector();

        try (InProcessConsumer consumer = InProcessConsumer.start(setup.writeConfig(dir, "w1"), List.of(faults))) {
            faults.fail("BatchWriteItem");
            TestTraffic.send(stack, setup.stream, events);
            Await.until("the consumer to hit the DynamoDB fault", Duration.ofMinutes(2),
                    () -> faults.injected.get() > 5 && inspect.leases().size() == 2, () -> "injected " + faults.injected);
            Await.sleep(5_000); // > 2 checkpoint intervals
            assertThat(inspect.interactions()).isEmpty();
            assertThat(inspect.leases()).allSatisfy(l -> assertThat(l.checkpoint()).isEqualTo("TRIM_HORIZON"));
            assertThat(consumer.metrics().meter("ingest.flushFailures").getCount()).isPositive();

            // DynamoDB back, S3 down: events become queryable, but the checkpoint still waits for S3.
            faults.heal();
            faults.fail("PutObject");
            Await.until("rows to land while S3 is down", Duration.ofMinutes(1),
                    () -> inspect.interactions().size() == events.size(), () -> inspect.interactions().size() + " rows");
            Await.sleep(5_000);
            assertThat(inspect.leases()).allSatisfy(l -> assertThat(l.checkpoint()).isEqualTo("TRIM_HORIZON"));
            assertThat(inspect.objectKeys("raw/")).isEmpty();

            faults.heal();
            Await.until("everything checkpointed after recovery", Duration.ofMinutes(1),
                    () -> TestTraffic.fullyCheckpointed(stack, setup, inspect), () -> "leases " + inspect.leases());
            Expectations.exactlyOnceEverywhere(inspect, events);
            assertThat(consumer.health().get("flush-age").isHealthy()).isTrue();
        }
    }
}
