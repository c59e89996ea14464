package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.local.stack.process.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker writes rows and profiles but crashes (SIGKILL) before its first checkpoint — S3 is
 * unreachable, so the window can never complete. A new worker replays everything: no duplicate
 * rows, no double-counted profiles, every event once in S3.
 */
@WithLocalStack
class CrashRecoveryIT {

    @Test
    void replayAfterCrashBeforeCheckpointDuplicatesNothing(LocalStack stack, @TempDir Path dir) throws Exception {
        int deadPort = Ports.freePort(); // nothing listens there: connections are refused
        ConsumerSetup crashing = new ConsumerSetup("crash", stack.endpoints()).s3Endpoint("http://127.0.0.1:" + deadPort);
        ConsumerSetup healthy = new ConsumerSetup("crash", stack.endpoints());
        TestStores.create(stack, healthy);
        stack.createStream(crashing.stream, 4);
        List<InteractionEvent> events = new ArrayList<>();
        new SyntheticWorkload(SyntheticWorkload.Config.reference(11, 4_000, System.currentTimeMillis() - 600_000L)).forEach(events::add);
        TestTraffic.send(stack, crashing.stream, events);
        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), healthy);

        try (ChildConsumer first = ChildConsumer.start(crashing.writeConfig(dir, "first"), dir, "first")) {
            Await.until("rows and profiles written by the first worker", Duration.ofMinutes(2),
                    () -> inspect.interactions().size() == events.size()
                            && inspect.profileCounts().values().stream().mapToLong(Long::longValue).sum() == events.size(),
                    () -> inspect.interactions().size() + " rows; log:\n" + first.logTail());
            assertThat(inspect.leases()).hasSize(4).allSatisfy(l -> assertThat(l.checkpoint()).isEqualTo("TRIM_HORIZON"));
            assertThat(inspect.objectKeys("raw/")).isEmpty();
            first.kill9();
        }

        try (ChildConsumer second = ChildConsumer.start(healthy.writeConfig(dir, "second"), dir, "second")) {
            Await.until("the second worker to take over and checkpoint everything", Duration.ofMinutes(2),
                    () -> TestTraffic.fullyCheckpointed(stack, healthy, inspect) && Expectations.s3Complete(inspect, events.size()),
                    () -> "leases " + inspect.leases() + "; log:\n" + second.logTail());
            Expectations.exactlyOnceEverywhere(inspect, events);
            assertThat(inspect.leases()).allSatisfy(l -> assertThat(l.owner()).isEqualTo("second"));
            assertThat(second.terminate(60)).as("graceful exit on SIGTERM").isIn(0, 143);
        }
    }
}
