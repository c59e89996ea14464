package dev.recsys.producer;

import dev.recsys.producer.core.EventProducer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Paces sends to a fixed number of records per second (evenly spaced, no bursts) in front of another producer. */
public final class RateLimitedProducer implements EventProducer {

    private final EventProducer delegate;
    private final long intervalNanos;
    private long nextSlot = System.nanoTime();

    public RateLimitedProducer(EventProducer delegate, double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0 records per second");
        }
        this.delegate = delegate;
        this.intervalNanos = Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / perSecond));
    }

    @Override
    public CompletableFuture<Void> sendRaw(String partitionKey, byte[] data) {
        awaitSlot();
        return delegate.sendRaw(partitionKey, data);
    }

    private void awaitSlot() {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            // an idle producer does not bank credit for a later burst
            slot = Math.max(nextSlot, now);
            nextSlot = slot + intervalNanos;
        }
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
