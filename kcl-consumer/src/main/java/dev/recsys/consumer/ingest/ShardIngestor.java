package dev.recsys.consumer.ingest;

import dev.recsys.consumer.attribution.Credit;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import dev.recsys.consumer.record.IngestedRecord.Rejected;
import dev.recsys.consumer.record.IngestedRecord;
import dev.recsys.consumer.record.RecordPosition;
import dev.recsys.consumer.sink.StoredEventListener;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plain-Java core of one shard's processing, free of KCL types so it can be tested alone.
 * Records flow through two tiers: the fast tier makes interactions queryable and exposures
 * attributable quickly; the checkpoint tier writes profiles, raw objects, dead letters and the
 * experiment counts (attribution) and only then yields a position that is safe to checkpoint. A failed write leaves its records buffered, to be retried; nothing
 * is ever acknowledged before every write covering it is durable. Not thread-safe: one per shard.
 */
public final class ShardIngestor {

    private final String shardId;
    private final Sinks sinks;
    private final FlushPolicy policy;
    private final Clock clock;
    private final IngestMetrics metrics;

    private final List<IngestedRecord> unstored = new ArrayList<>();
    private long unstoredSince;
    private final List<Accepted> stored = new ArrayList<>();
    private final List<Exposed> storedExposures = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private RecordPosition windowStart;
    private RecordPosition windowEnd;
    private int windowRecords;
    private long windowSince;

    public ShardIngestor(String shardId, Sinks sinks, FlushPolicy policy, Clock clock, IngestMetrics metrics) {
        this.shardId = shardId;
        this.sinks = sinks;
        this.policy = policy;
        this.clock = clock;
        this.metrics = metrics;
    }

    public String shardId() {
        return shardId;
    }

    public void add(List<IngestedRecord> records) {
        if (records.isEmpty()) return;
        long now = clock.millis();
        if (unstored.isEmpty()) unstoredSince = now;
        if (windowStart == null) {
            windowStart = records.get(0).position();
            windowSince = now;
        }
        unstored.addAll(records);
        windowEnd = records.get(records.size() - 1).position();
        windowRecords += records.size();
        metrics.pending(shardId, true, now);
    }

    public int bufferedRecords() {
        return windowRecords;
    }

    public boolean isOverBufferLimit() {
        return windowRecords >= policy.maxBufferedRecords();
    }

    /**
     * Runs whichever tiers are due (all of them when {@code force}).
     *
     * @return the position to checkpoint, when the checkpoint tier completed
     * @throws dev.recsys.consumer.sink.SinkException when a write failed; buffers are kept for a retry
     */
    public Optional<RecordPosition> flushDue(boolean force) {
        long now = clock.millis();
        boolean checkpointDue = windowStart != null && (force
                || windowRecords >= policy.checkpointRecords()
                || now - windowSince >= policy.checkpointMillis()
                || windowRecords >= policy.maxBufferedRecords());
        boolean storeDue = !unstored.isEmpty() && (checkpointDue
                || unstored.size() >= policy.interactionFlushRecords()
                || now - unstoredSince >= policy.interactionFlushMillis());
        if (storeDue) storeInteractions();
        if (!checkpointDue) return Optional.empty();
        return Optional.of(completeWindow());
    }

    private void storeInteractions() {
        List<Accepted> accepted = new ArrayList<>();
        List<Exposed> exposures = new ArrayList<>();
        List<Rejected> rejects = new ArrayList<>();
        for (IngestedRecord r : unstored) {
            if (r instanceof Accepted a) accepted.add(a);
            else if (r instanceof Exposed x) exposures.add(x);
            else rejects.add((Rejected) r);
        }
        List<Accepted> result;
        List<Exposed> exposed;
        try (var t = metrics.interactionFlush.time()) {
            result = sinks.interactions().store(shardId, accepted);
            exposed = sinks.exposures().storeExposures(shardId, exposures);
        } catch (RuntimeException e) {
            metrics.flushFailures.mark();
            throw e;
        }
        List<Accepted> firstSeen = result.stream().filter(Accepted::firstSeen).toList();
        List<Exposed> firstSeenExposures = exposed.stream().filter(Exposed::firstSeen).toList();
        stored.addAll(firstSeen);
        storedExposures.addAll(firstSeenExposures);
        rejected.addAll(rejects);
        unstored.clear();
        metrics.eventsWritten.mark(firstSeen.size());
        metrics.exposuresWritten.mark(firstSeenExposures.size());
        metrics.duplicates.mark(result.size() - firstSeen.size() + exposed.size() - firstSeenExposures.size());
        for (StoredEventListener l : sinks.listeners()) {
            try {
                l.onStored(firstSeen);
            } catch (RuntimeException e) {
                // Listeners promise not to throw; if one does anyway, ingestion must not stop.
            }
        }
    }

    private RecordPosition completeWindow() {
        List<Credit> credits;
        try (var t = metrics.checkpointFlush.time()) {
            sinks.profiles().apply(shardId, stored);
            credits = sinks.attribution().credit(shardId, storedExposures, stored);
            sinks.experiments().credit(shardId, credits);
            sinks.archive().archive(shardId, windowStart, stored);
            sinks.archive().archiveExposures(shardId, windowStart, storedExposures);
            sinks.archive().deadLetter(shardId, windowStart, rejected);
        } catch (RuntimeException e) {
            metrics.flushFailures.mark();
            throw e;
        }
        metrics.deadLettered.mark(rejected.size());
        metrics.credited(credits);
        RecordPosition end = windowEnd;
        stored.clear();
        storedExposures.clear();
        rejected.clear();
        windowStart = null;
        windowEnd = null;
        windowRecords = 0;
        long now = clock.millis();
        metrics.pending(shardId, false, now);
        metrics.flushed(now);
        return end;
    }
}
