package dev.recsys.consumer.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The KCL's MillisBehindLatest per shard this worker holds, folded into one value per interval: the maximum over its
 * shards of the highest value each reported during the interval. The KCL hands it over with every delivery in both
 * retrieval modes (a GetRecords response when polling, a SubscribeToShard event with enhanced fan-out), so unlike the
 * stream's GetRecords.IteratorAgeMilliseconds it keeps meaning something with fan-out.
 *
 * <p>A shard leaves when it is released (lease lost, shard ended, shutdown): its last value must not hold the metric up
 * once another worker reads it. A shard still held but silent for a whole interval (its processor blocked, e.g. waiting
 * for the stores under back-pressure) is not dropped: it counts as its last value plus the time since, since nothing of
 * it was read meanwhile — an upper bound that keeps a stalled shard visible instead of hiding it.
 *
 * <p>Thread-safe: each shard's processor thread reports, the publisher closes intervals.
 */
public final class LagTracker {

    /** One interval's result. {@code silentShards}: held shards that did not report during the interval. */
    public record Interval(long maxMillisBehindLatest, int shards, int silentShards) {}

    /** intervalMax: highest value reported since the interval began, -1 when none. */
    private record ShardLag(long intervalMax, long last, long lastAt) {}

    private final Map<String, ShardLag> shards = new ConcurrentHashMap<>();

    /** @param millisBehindLatest null (the KCL had none for this call) is no report */
    public void report(String shardId, Long millisBehindLatest, long now) {
        if (shardId == null || millisBehindLatest == null) return;
        long value = Math.max(0, millisBehindLatest);
        shards.merge(shardId, new ShardLag(value, value, now),
                (old, fresh) -> new ShardLag(Math.max(old.intervalMax(), value), value, now));
    }

    /** The shard is no longer this worker's: it stops counting at once. */
    public void release(String shardId) {
        if (shardId != null) shards.remove(shardId);
    }

    /** The current maximum over held shards of their last values (the admin port's gauge), 0 when none. */
    public long currentMax() {
        return shards.values().stream().mapToLong(ShardLag::last).max().orElse(0);
    }

    /** Ends the current interval and starts the next; null when this worker holds no shard that ever reported. */
    public Interval closeInterval(long now) {
        long max = 0;
        int count = 0;
        int silent = 0;
        for (String shardId : shards.keySet()) {
            long[] seen = {-1, 0};
            shards.computeIfPresent(shardId, (id, s) -> {
                seen[0] = s.intervalMax() >= 0 ? s.intervalMax() : s.last() + Math.max(0, now - s.lastAt());
                seen[1] = s.intervalMax() >= 0 ? 0 : 1;
                return new ShardLag(-1, s.last(), s.lastAt());
            });
            if (seen[0] < 0) continue; // released meanwhile
            max = Math.max(max, seen[0]);
            count++;
            silent += (int) seen[1];
        }
        return count == 0 ? null : new Interval(max, count, silent);
    }
}
