package dev.recsys.consumer.realtime;

import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.sink.StoredEventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * When the API's cache is invalidated. Without an event tracker, right after the events are stored
 * ({@link #onStored}, on the shard's thread). With one, only after the tracker has the user's events
 * ({@link #afterForward}), batched on a thread of its own so SDK threads never wait for Redis.
 */
public final class Invalidations implements StoredEventListener {

    private final CacheInvalidator invalidator;
    private final LinkedBlockingQueue<String> forwarded = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;

    /** @param afterTracker true when a tracker forwards events: invalidation then waits for {@link #afterForward} */
    public Invalidations(CacheInvalidator invalidator, boolean afterTracker) {
        this.invalidator = invalidator;
        this.worker = afterTracker ? new Thread(this::drain, "cache-invalidations") : null;
        if (worker != null) {
            worker.setDaemon(true);
            worker.start();
        }
    }

    @Override
    public void onStored(List<Accepted> firstSeen) {
        if (worker != null || firstSeen.isEmpty()) return;
        invalidator.invalidate(firstSeen.stream().map(a -> a.event().userId()).toList());
    }

    /** A user's events reached the tracker (or were given up on): their cached answers may go now. */
    public void afterForward(String userId) {
        forwarded.offer(userId);
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        while (running || !forwarded.isEmpty()) {
            try {
                String first = forwarded.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                forwarded.drainTo(batch, 499);
                invalidator.invalidate(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Finishes what is queued (bounded), then closes the Redis connection. */
    @Override
    public void close() {
        running = false;
        if (worker != null) {
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        invalidator.close();
    }
}
