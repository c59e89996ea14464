package dev.recsys.producer.core;

import java.time.Duration;

/**
 * Counts records in flight and failures since the last flush, so {@code flush()} can wait for the former
 * and report the latter. Producers call {@link #started()} once per record, then exactly one of
 * {@link #succeeded()} or {@link #failed(Throwable)}.
 */
public final class DeliveryTracker {

    private long outstanding;
    private long acknowledged;
    private long failedSinceFlush;
    private long failedTotal;
    private Throwable firstFailure;

    public synchronized void started() {
        outstanding++;
    }

    public synchronized void succeeded() {
        outstanding--;
        acknowledged++;
        notifyAll();
    }

    public synchronized void failed(Throwable cause) {
        outstanding--;
        failedSinceFlush++;
        failedTotal++;
        if (firstFailure == null) {
            firstFailure = cause;
        }
        notifyAll();
    }

    public synchronized long outstanding() {
        return outstanding;
    }

    public synchronized long acknowledged() {
        return acknowledged;
    }

    public synchronized long failedTotal() {
        return failedTotal;
    }

    /**
     * Waits until nothing is in flight, then reports (and forgets) the failures since the previous call.
     *
     * @throws ProducerException when records failed, or when records are still in flight after {@code timeout}
     */
    public synchronized void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outstanding > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ProducerException("flush timed out after " + timeout.toMillis() + " ms with " + outstanding
                        + " records still unacknowledged", outstanding, null);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProducerException("interrupted while flushing", outstanding, e);
            }
        }
        if (failedSinceFlush > 0) {
            long failed = failedSinceFlush;
            Throwable first = firstFailure;
            failedSinceFlush = 0;
            firstFailure = null;
            throw new ProducerException(failed + " record(s) failed since the last flush; first: " + first.getMessage(),
                    failed, first);
        }
    }
}
