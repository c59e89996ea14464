package dev.recsys.consumer.ingest;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import com.codahale.metrics.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The consumer's metrics, shown on the admin port (/metrics) and used by health checks. */
public final class IngestMetrics {

    public final Meter recordsIn;
    public final Meter eventsWritten;
    public final Meter exposuresWritten;
    /** Item records that became their item's state in the items table. */
    public final Meter itemsWritten;
    /** Item records the table already held or had a later state for (replays, producer retries, late arrivals). */
    public final Meter itemsSuperseded;
    /** User records that became their user's state in the users table. */
    public final Meter usersWritten;
    /** User records the table already held or had a later state for. */
    public final Meter usersSuperseded;
    /** Credits written to experiment_users (first pass; a replay credits again, the store counts once). */
    public final Meter exposuresCredited;
    public final Meter clicksAttributed;
    public final Meter conversionsAttributed;
    public final Meter duplicates;
    public final Meter deadLettered;
    public final Meter flushFailures;
    /**
     * Records read but given back unwritten when a shard was released (lease lost, or a shutdown whose flush
     * failed): the next owner reads them again from the last checkpoint. With duplicates and dead letters this
     * makes the count exact: every record read is written (a replay of our own write is written again), a
     * duplicate, dead-lettered or released; an item or user record is written or superseded instead.
     */
    public final Meter recordsReleased;
    /** Leases the KCL took from this worker: renewal missed (e.g. a busy machine), stolen, or released at shutdown. */
    public final Meter leasesLost;
    public final Timer interactionFlush;
    public final Timer checkpointFlush;
    /** Arrival in the stream of a batch's first record → the batch handed to us (the KCL's polling and fetching). */
    public final Timer deliveryDelay;
    /** Arrival of the oldest record of a fast-tier flush → that flush written (what a reader waits, worst of the flush). */
    public final Timer queryableDelay;
    public final Counter leasesHeld;
    /** Per shard: the KCL's MillisBehindLatest, folded per interval for the CloudWatch metric ({@link LagMetrics}). */
    public final LagTracker millisBehindLatest = new LagTracker();
    /** Per shard: our own lag, now minus the approximate arrival time of the last record processed. */
    private final Map<String, Long> lag = new ConcurrentHashMap<>();
    /** Per shard: since when it has had data that is not yet checkpointed (absent = nothing pending). */
    private final Map<String, Long> pendingSince = new ConcurrentHashMap<>();
    private volatile long lastSuccessfulFlush = System.currentTimeMillis();

    public IngestMetrics(MetricRegistry registry) {
        recordsIn = registry.meter("ingest.recordsIn");
        eventsWritten = registry.meter("ingest.eventsWritten");
        exposuresWritten = registry.meter("ingest.exposuresWritten");
        itemsWritten = registry.meter("ingest.itemsWritten");
        itemsSuperseded = registry.meter("ingest.itemsSuperseded");
        usersWritten = registry.meter("ingest.usersWritten");
        usersSuperseded = registry.meter("ingest.usersSuperseded");
        exposuresCredited = registry.meter("attribution.exposures");
        clicksAttributed = registry.meter("attribution.clicks");
        conversionsAttributed = registry.meter("attribution.conversions");
        duplicates = registry.meter("ingest.duplicates");
        deadLettered = registry.meter("ingest.deadLettered");
        flushFailures = registry.meter("ingest.flushFailures");
        recordsReleased = registry.meter("ingest.recordsReleased");
        leasesLost = registry.meter("kcl.leasesLost");
        // Percentiles over the last minute, not a decaying sample of all time: what an operator (and a benchmark phase) asks.
        interactionFlush = registry.timer("ingest.interactionFlush", IngestMetrics::lastMinute);
        checkpointFlush = registry.timer("ingest.checkpointFlush", IngestMetrics::lastMinute);
        deliveryDelay = registry.timer("ingest.deliveryDelay", IngestMetrics::lastMinute);
        queryableDelay = registry.timer("ingest.queryableDelay", IngestMetrics::lastMinute);
        leasesHeld = registry.counter("kcl.leasesHeld");
        registry.gauge("kcl.millisBehindLatest", () -> millisBehindLatest::currentMax);
        registry.gauge("ingest.oldestUnflushedMillis", () -> this::oldestPendingAgeMillis);
        registry.gauge("ingest.lagMillis", () -> this::maxLagMillis);
    }

    private static Timer lastMinute() {
        return new Timer(new SlidingTimeWindowArrayReservoir(1, TimeUnit.MINUTES));
    }

    /**
     * Records the lag of a batch. Not MillisBehindLatest: the emulator reports 0 there whatever waits,
     * and it says nothing about our own processing. An empty batch at the tip means nothing waits.
     *
     * @param lastArrivalMillis approximate arrival time of the batch's last record; null for an empty batch
     */
    public void lag(String shardId, Long lastArrivalMillis, Long millisBehind, long now) {
        if (lastArrivalMillis != null) {
            lag.put(shardId, Math.max(0, now - lastArrivalMillis));
        } else if (millisBehind == null || millisBehind == 0) {
            lag.put(shardId, 0L);
        }
    }

    public long maxLagMillis() {
        return lag.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Lag per shard this worker holds, for health and logs. */
    public Map<String, Long> lagByShard() {
        return new java.util.TreeMap<>(lag);
    }

    public void millisBehindLatest(String shardId, Long millis, long now) {
        millisBehindLatest.report(shardId, millis, now);
    }

    public void credited(java.util.List<dev.recsys.consumer.attribution.Credit> credits) {
        for (var c : credits) {
            switch (c.kind()) {
                case EXPOSURE -> exposuresCredited.mark();
                case CLICK -> clicksAttributed.mark();
                case CONVERSION -> conversionsAttributed.mark();
            }
        }
    }

    /** @param since when the shard's oldest data not yet checkpointed was read; null when nothing is pending */
    public void pendingSince(String shardId, Long since) {
        if (since == null) pendingSince.remove(shardId);
        else pendingSince.put(shardId, since);
    }

    public void shardReleased(String shardId) {
        pendingSince.remove(shardId);
        millisBehindLatest.release(shardId);
        lag.remove(shardId);
    }

    public void flushed(long now) {
        lastSuccessfulFlush = now;
    }

    public long lastSuccessfulFlush() {
        return lastSuccessfulFlush;
    }

    public long oldestPendingAgeMillis() {
        long now = System.currentTimeMillis();
        return pendingSince.values().stream().mapToLong(t -> now - t).max().orElse(0);
    }
}
