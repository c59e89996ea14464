package dev.recsys.producer.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.core.ProducerConfig.Mode;
import dev.recsys.producer.core.ProducerException;
import dev.recsys.producer.Producers;
import dev.recsys.producer.StreamAssertionsAccess;
import dev.recsys.producer.readback.StreamReader;
import dev.recsys.producer.readback.UserRecord;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

@WithLocalStack(services = Service.KINESIS)
class PutRecordsProducerIT {

    private static ProducerConfig config(URI endpoint, String stream) {
        return ProducerConfig.local(Mode.PUT_RECORDS, stream, endpoint, Endpoints.ACCESS_KEY, Endpoints.SECRET_KEY);
    }

    /** Over the plain port and over the TLS port (self-signed certificate trusted offline). */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void deliversEveryEventAsItsOwnKinesisRecord(boolean tls, LocalStack stack) {
        String stream = "put-records-" + (tls ? "tls" : "plain");
        stack.createStream(stream, 2);
        List<InteractionEvent> events = StreamAssertionsAccess.workload(5, 1_200);
        URI endpoint = tls ? stack.endpoints().kinesis() : stack.endpoints().kinesisPlain();
        long t0 = System.nanoTime();
        try (EventProducer producer = Producers.create(config(endpoint, stream))) {
            CompletableFuture<Void> all = producer.sendAll(events);
            producer.flush();
            assertThat(all).isCompleted();
        }
        System.out.printf("PutRecords (%s): %d events acknowledged in %d ms%n", tls ? "TLS" : "plain", events.size(),
                (System.nanoTime() - t0) / 1_000_000);
        StreamReader.Contents contents = new StreamReader(stack.kinesis()).readAll(stream, Duration.ofSeconds(30));
        assertThat(contents.kinesisRecords()).isEqualTo(events.size());
        assertThat(contents.userRecords()).noneMatch(UserRecord::aggregated);
        StreamAssertionsAccess.assertSameEvents(contents.userRecords(), events);
    }

    @Test
    void aMissingStreamFailsAtOnce(LocalStack stack) {
        try (EventProducer producer = Producers.create(config(stack.endpoints().kinesisPlain(), "no-such-stream"))) {
            CompletableFuture<Void> f = producer.sendRaw("user-1", new byte[] {'{', '}'});
            assertThatThrownBy(producer::flush).isInstanceOf(ProducerException.class)
                    .hasMessageContaining("not found");
            assertThat(f).isCompletedExceptionally();
        }
    }

    @Test
    void theRateLimitPacesSends(LocalStack stack) {
        stack.createStream("put-records-paced", 1);
        ProducerConfig paced = config(stack.endpoints().kinesisPlain(), "put-records-paced").withRateLimit(50);
        long t0 = System.nanoTime();
        try (EventProducer producer = Producers.create(paced)) {
            producer.sendAll(StreamAssertionsAccess.workload(9, 26));
            producer.flush();
        }
        // 26 events at 50/s: 25 intervals of 20 ms at the very least
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(500);
        assertThat(new StreamReader(stack.kinesis()).readAll("put-records-paced", Duration.ofSeconds(10))
                .kinesisRecords()).isEqualTo(26);
    }
}
