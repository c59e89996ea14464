package dev.recsys.producer;

import dev.recsys.producer.core.EventProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RateLimitedProducerTest {

    /** Records when each send reached it. */
    private static final class Recording implements EventProducer {
        final List<Long> sendTimes = new ArrayList<>();
        boolean flushed;
        boolean closed;

        @Override
        public CompletableFuture<Void> sendRaw(String partitionKey, byte[] data) {
            sendTimes.add(System.nanoTime());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void flush() {
            flushed = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void sendsAreSpacedByTheInterval() {
        Recording inner = new Recording();
        try (RateLimitedProducer paced = new RateLimitedProducer(inner, 200)) {
            for (int i = 0; i < 11; i++) {
                paced.sendRaw("k", new byte[] {1});
            }
            paced.flush();
        }
        // a lower bound only: 10 gaps of 5 ms; the scheduler may add, never remove, time
        for (int i = 1; i < inner.sendTimes.size(); i++) {
            assertThat(inner.sendTimes.get(i) - inner.sendTimes.get(0)).isGreaterThanOrEqualTo(i * 5_000_000L - 100_000);
        }
        assertThat(inner.flushed).isTrue();
        assertThat(inner.closed).isTrue();
    }

    @Test
    void aNonPositiveRateIsRejected() {
        assertThatThrownBy(() -> new RateLimitedProducer(new Recording(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
