package dev.recsys.producer.kpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.core.ProducerConfig.Mode;
import dev.recsys.producer.core.ProducerException;
import dev.recsys.producer.StreamAssertionsAccess;
import dev.recsys.producer.readback.StreamReader;
import dev.recsys.producer.readback.UserRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

@WithLocalStack(services = Service.KINESIS)
class KplProducerIT {

    private static ProducerConfig config(LocalStack stack, String stream) {
        Endpoints e = stack.endpoints();
        return ProducerConfig.local(Mode.KPL, stream, e.kinesis(), e.accessKey(), e.secretKey());
    }

    @Test
    void deliversEveryEventAggregatedIntoFarFewerKinesisRecords(LocalStack stack) {
        stack.createStream("kpl-events", 2);
        List<InteractionEvent> events = StreamAssertionsAccess.workload(11, 3_000);
        long t0 = System.nanoTime();
        try (KplProducer producer = new KplProducer(config(stack, "kpl-events"))) {
            CompletableFuture<Void> all = producer.sendAll(events);
            producer.flush();
            assertThat(all).isCompleted();
            assertThat(producer.outstanding()).isZero();
        }
        System.out.printf("KPL: %d events acknowledged in %d ms%n", events.size(), (System.nanoTime() - t0) / 1_000_000);

        StreamReader.Contents contents = new StreamReader(stack.kinesis()).readAll("kpl-events", Duration.ofSeconds(30));
        System.out.printf("KPL: %d user records in %d Kinesis records%n", contents.userRecords().size(),
                contents.kinesisRecords());
        StreamAssertionsAccess.assertSameEvents(contents.userRecords(), events);
        assertThat(contents.kinesisRecords()).isLessThan(events.size() / 20);
        assertThat(contents.userRecords().stream().filter(UserRecord::aggregated).count())
                .isGreaterThan(events.size() - 10L);
    }

    /** A terminal's Ctrl-C must not reach the daemon: its owner stops it (see NativeDaemon). */
    @Test
    void theNativeDaemonRunsInASessionOfItsOwnAndEndsWithTheProducer(LocalStack stack) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/setsid")));
        stack.createStream("kpl-session", 1);
        ProcessHandle daemon;
        try (KplProducer producer = new KplProducer(config(stack, "kpl-session"))) {
            producer.sendRaw("user-1", "{}".getBytes(StandardCharsets.UTF_8));
            producer.flush();
            List<ProcessHandle> daemons = ProcessHandle.current().children()
                    .filter(p -> p.info().command().orElse("").contains("kinesis_producer")).toList();
            assertThat(daemons).hasSize(1);
            daemon = daemons.get(0);
            // /proc/PID/stat: "pid (comm) state ppid pgrp session ..."; comm has no spaces here
            String[] stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + daemon.pid() + "/stat")).split(" ");
            assertThat(Long.parseLong(stat[5])).as("session of the daemon").isEqualTo(daemon.pid());
            assertThat(Long.parseLong(stat[4])).as("process group of the daemon").isEqualTo(daemon.pid());
        }
        daemon.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(daemon.isAlive()).isFalse();
    }

    @Test
    void poisonRecordsArriveByteForByteUnderTheChosenKey(LocalStack stack) {
        stack.createStream("kpl-poison", 1);
        byte[] garbage = {0, (byte) 0xFF, (byte) 0xFE, 42, 10};
        byte[] badJson = "{\"user_id\": ".getBytes(StandardCharsets.UTF_8);
        try (KplProducer producer = new KplProducer(config(stack, "kpl-poison"))) {
            producer.sendRaw("user-poison", garbage);
            producer.sendRaw("user-poison", badJson);
            producer.flush();
        }
        List<UserRecord> read = new StreamReader(stack.kinesis()).readAll("kpl-poison", Duration.ofSeconds(10))
                .userRecords();
        assertThat(read).extracting(UserRecord::partitionKey).containsOnly("user-poison");
        assertThat(read).extracting(UserRecord::data).containsExactlyInAnyOrder(garbage, badJson);
    }

    @Test
    void aMissingStreamFailsTheFutureAndTheFlush(LocalStack stack) {
        ProducerConfig config = config(stack, "kpl-no-such-stream").withDeliveryTimeout(Duration.ofSeconds(2));
        try (KplProducer producer = new KplProducer(config)) {
            CompletableFuture<Void> f = producer.sendRaw("user-1", "{}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(producer::flush).isInstanceOf(ProducerException.class)
                    .hasMessageContaining("1 record(s) failed");
            assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ProducerException.class);
        }
    }

    @Test
    void badInputFailsWithoutReachingKinesis(LocalStack stack) {
        stack.createStream("kpl-bad-input", 1);
        try (KplProducer producer = new KplProducer(config(stack, "kpl-bad-input"))) {
            CompletableFuture<Void> emptyKey = producer.sendRaw("", new byte[] {1});
            CompletableFuture<Void> tooBig = producer.sendRaw("k", new byte[1024 * 1024]);
            assertThatThrownBy(emptyKey::join).hasCauseInstanceOf(ProducerException.class)
                    .hasMessageContaining("partition key is empty");
            assertThatThrownBy(tooBig::join).hasMessageContaining("max 1048576");
            assertThatThrownBy(producer::flush).isInstanceOf(ProducerException.class)
                    .satisfies(e -> assertThat(((ProducerException) e).failedRecords()).isEqualTo(2));
        }
        assertThat(new StreamReader(stack.kinesis()).readAll("kpl-bad-input", Duration.ofSeconds(10)).kinesisRecords())
                .isZero();
    }

    @Test
    void thePlainHttpEndpointIsRefusedUpFront(LocalStack stack) {
        Endpoints e = stack.endpoints();
        ProducerConfig plain = ProducerConfig.local(Mode.KPL, "s", e.kinesisPlain(), e.accessKey(), e.secretKey());
        assertThatThrownBy(() -> new KplProducer(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only speaks HTTPS");
    }
}
