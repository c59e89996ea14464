package dev.recsys.consumer.ingest;

import com.codahale.metrics.Meter;
import dev.recsys.consumer.attribution.Credit;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.CatalogChange;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import dev.recsys.consumer.record.IngestedRecord.Rejected;
import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import dev.recsys.consumer.record.IngestedRecord;
import dev.recsys.consumer.record.RecordPosition;
import dev.recsys.consumer.sink.SinkException;
import dev.recsys.consumer.sink.StoredEventListener;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The plain-Java core of one shard's processing, free of KCL types so it can be tested alone.
 * Records flow through two tiers: the fast tier makes interactions queryable, exposures
 * attributable and catalog changes visible quickly; the checkpoint tier writes profiles, raw objects, dead letters and the
 * experiment counts (attribution) and only then yields a position that is safe to checkpoint. A failed
 * write leaves its records buffered, to be retried; nothing is ever acknowledged before every write
 * covering it is durable.
 *
 * <p>A closed window's checkpoint tier runs on {@code checkpointTier}, one window per shard at a time
 * and in order (also across owners in this JVM: see {@link ShardWriteOrder}), while the fast tier keeps storing newer records: its writes took ~2 s per window on a
 * loaded machine, and a shard whose thread waited for them left every record arriving meanwhile
 * unqueryable for as long (that was the PutRecord → queryable tail, worst in a fresh JVM after a
 * redeploy). Not thread-safe: one per shard, called from the shard's thread only.
 */
public final class ShardIngestor {

    /** A closed checkpoint window: what its checkpoint tier writes, and the position that is safe once it has. */
    private record Window(List<Accepted> stored, List<Exposed> exposures, List<Cataloged> items, List<UserCataloged> users,
                          List<Rejected> rejected, RecordPosition start, RecordPosition end, int records, long since) {}

    private final String shardId;
    private final Sinks sinks;
    private final FlushPolicy policy;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final ShardWriteOrder checkpointTier;

    private final List<IngestedRecord> unstored = new ArrayList<>();
    private long unstoredSince;
    private long unstoredOldestArrival;
    private List<Accepted> stored = new ArrayList<>();
    private List<Exposed> storedExposures = new ArrayList<>();
    /** Every item record of the window, applied or not: the lake keeps them all (see ArchiveStore#archiveItems). */
    private List<Cataloged> storedItems = new ArrayList<>();
    /** Every user record of the window, applied or not, likewise. */
    private List<UserCataloged> storedUsers = new ArrayList<>();
    private List<Rejected> rejected = new ArrayList<>();
    private RecordPosition windowStart;
    private RecordPosition windowEnd;
    private int windowRecords;
    private long windowSince;
    /** Closed and not yet durable: its writes are running ({@code closingWrites} set) or failed and wait for a retry. */
    private Window closing;
    private CompletableFuture<List<Credit>> closingWrites;

    public ShardIngestor(String shardId, Sinks sinks, FlushPolicy policy, Clock clock, IngestMetrics metrics,
                         ShardWriteOrder checkpointTier) {
        this.shardId = shardId;
        this.sinks = sinks;
        this.policy = policy;
        this.clock = clock;
        this.metrics = metrics;
        this.checkpointTier = checkpointTier;
    }

    public String shardId() {
        return shardId;
    }

    /** @param firstArrivalMillis approximate arrival time in the stream of the batch's first record */
    public void add(List<IngestedRecord> records, long firstArrivalMillis) {
        if (records.isEmpty()) return;
        long now = clock.millis();
        if (unstored.isEmpty()) {
            unstoredSince = now;
            unstoredOldestArrival = firstArrivalMillis;
        }
        if (windowStart == null) {
            windowStart = records.get(0).position();
            windowSince = now;
        }
        unstored.addAll(records);
        windowEnd = records.get(records.size() - 1).position();
        windowRecords += records.size();
        reportPending();
    }

    /**
     * Drops every buffer: the shard is no longer ours (or stops without a durable flush), and the next owner
     * replays from the last checkpoint into idempotent stores. Records the fast tier already stored come back
     * to that owner as duplicates; those it had not yet stored, and rejects whose dead letter was not yet
     * written, are counted as released.
     *
     * @return the records read but not yet stored, dead-lettered or counted as duplicates
     */
    public int release() {
        int unwritten = unstored.size() + rejected.size() + (closing == null ? 0 : closing.rejected().size());
        metrics.recordsReleased.mark(unwritten);
        unstored.clear();
        startNewWindow();
        closing = null;
        closingWrites = null;
        metrics.pendingSince(shardId, null);
        return unwritten;
    }

    /** Records not yet checkpointed: the open window and a closed one whose writes have not completed. */
    public int bufferedRecords() {
        return windowRecords + (closing == null ? 0 : closing.records());
    }

    public boolean isOverBufferLimit() {
        return bufferedRecords() >= policy.maxBufferedRecords();
    }

    /**
     * Runs whichever tiers are due (all of them when {@code force}, which also waits for the checkpoint
     * tier).
     *
     * @return the position to checkpoint, when a window's checkpoint tier completed
     * @throws dev.recsys.consumer.sink.SinkException when a write failed; buffers are kept for a retry
     */
    public Optional<RecordPosition> flushDue(boolean force) {
        long now = clock.millis();
        boolean checkpointDue = windowStart != null && (force
                || windowRecords >= policy.checkpointRecords()
                || now - windowSince >= policy.checkpointMillis()
                || bufferedRecords() >= policy.maxBufferedRecords());
        boolean storeDue = !unstored.isEmpty() && (checkpointDue
                || unstored.size() >= policy.interactionFlushRecords()
                || now - unstoredSince >= policy.interactionFlushMillis());
        if (storeDue) storeInteractions();
        Optional<RecordPosition> durable = completeClosing(force);
        if (closing == null && checkpointDue) {
            closeWindow();
            Optional<RecordPosition> earlier = durable;
            durable = completeClosing(force).or(() -> earlier);
        }
        return durable;
    }

    private void storeInteractions() {
        List<Accepted> accepted = new ArrayList<>();
        List<Exposed> exposures = new ArrayList<>();
        List<Cataloged> items = new ArrayList<>();
        List<UserCataloged> users = new ArrayList<>();
        List<Rejected> rejects = new ArrayList<>();
        for (IngestedRecord r : unstored) {
            if (r instanceof Accepted a) accepted.add(a);
            else if (r instanceof Exposed x) exposures.add(x);
            else if (r instanceof Cataloged c) items.add(c);
            else if (r instanceof UserCataloged u) users.add(u);
            else rejects.add((Rejected) r);
        }
        List<Accepted> result;
        List<Exposed> exposed;
        List<Cataloged> cataloged;
        List<UserCataloged> usersStored;
        try (var t = metrics.interactionFlush.time()) {
            result = sinks.interactions().store(shardId, accepted);
            exposed = sinks.exposures().storeExposures(shardId, exposures);
            cataloged = sinks.items().storeItems(shardId, items);
            usersStored = sinks.users().storeUsers(shardId, users);
        } catch (RuntimeException e) {
            metrics.flushFailures.mark();
            throw e;
        }
        List<Accepted> firstSeen = result.stream().filter(Accepted::firstSeen).toList();
        List<Exposed> firstSeenExposures = exposed.stream().filter(Exposed::firstSeen).toList();
        stored.addAll(firstSeen);
        storedExposures.addAll(firstSeenExposures);
        storedItems.addAll(cataloged);
        storedUsers.addAll(usersStored);
        rejected.addAll(rejects);
        unstored.clear();
        metrics.queryableDelay.update(Math.max(0, clock.millis() - unstoredOldestArrival), TimeUnit.MILLISECONDS);
        metrics.eventsWritten.mark(firstSeen.size());
        metrics.exposuresWritten.mark(firstSeenExposures.size());
        metrics.duplicates.mark(result.size() - firstSeen.size() + exposed.size() - firstSeenExposures.size());
        List<Cataloged> appliedItems = applied(cataloged, metrics.itemsWritten, metrics.itemsSuperseded);
        List<UserCataloged> appliedUsers = applied(usersStored, metrics.usersWritten, metrics.usersSuperseded);
        for (StoredEventListener l : sinks.listeners()) {
            try {
                l.onStored(firstSeen);
                if (!appliedItems.isEmpty()) l.onItemsStored(appliedItems);
                if (!appliedUsers.isEmpty()) l.onUsersStored(appliedUsers);
            } catch (RuntimeException e) {
                // Listeners promise not to throw; if one does anyway, ingestion must not stop.
            }
        }
    }

    /** The catalog records that became their entity's state, counted; the rest were superseded (replays, retries, late ones). */
    private static <R extends CatalogChange<R>> List<R> applied(List<R> stored, Meter written, Meter superseded) {
        List<R> applied = stored.stream().filter(CatalogChange::applied).toList();
        written.mark(applied.size());
        superseded.mark(stored.size() - applied.size());
        return applied;
    }

    /** Hands the open window (every record of it stored by the fast tier) to the checkpoint tier. */
    private void closeWindow() {
        closing = new Window(stored, storedExposures, storedItems, storedUsers, rejected, windowStart, windowEnd, windowRecords,
                windowSince);
        startNewWindow();
    }

    /** Empties the open window; the next record read starts it. */
    private void startNewWindow() {
        stored = new ArrayList<>();
        storedExposures = new ArrayList<>();
        storedItems = new ArrayList<>();
        storedUsers = new ArrayList<>();
        rejected = new ArrayList<>();
        windowStart = null;
        windowEnd = null;
        windowRecords = 0;
    }

    /**
     * Starts the closed window's writes if they are not running (first time, or a retry after a failure) and
     * harvests them once done.
     *
     * @param wait block until they are done
     * @return the window's end, once every write of it is durable
     */
    private Optional<RecordPosition> completeClosing(boolean wait) {
        if (closing == null) return Optional.empty();
        if (closingWrites == null) {
            Window w = closing;
            closingWrites = checkpointTier.submit(shardId, () -> write(w));
        }
        if (!wait && !closingWrites.isDone()) return Optional.empty();
        List<Credit> credits;
        try {
            credits = closingWrites.join();
        } catch (CompletionException e) { // retried on a later call, after the caller's back-off
            metrics.flushFailures.mark();
            throw e.getCause() instanceof RuntimeException r ? r : new SinkException(e.getCause().toString(), e.getCause());
        } finally {
            closingWrites = null; // done either way: joined
        }
        metrics.deadLettered.mark(closing.rejected().size());
        metrics.credited(credits);
        RecordPosition end = closing.end();
        closing = null;
        reportPending();
        metrics.flushed(clock.millis());
        return Optional.of(end);
    }

    /** The checkpoint tier's writes for one window, on the checkpoint tier's thread. */
    private List<Credit> write(Window w) {
        try (var t = metrics.checkpointFlush.time()) {
            sinks.profiles().apply(shardId, w.stored());
            List<Credit> credits = sinks.attribution().credit(shardId, w.exposures(), w.stored());
            sinks.experiments().credit(shardId, credits);
            sinks.archive().archive(shardId, w.start(), w.stored());
            sinks.archive().archiveExposures(shardId, w.start(), w.exposures());
            sinks.archive().archiveItems(shardId, w.start(), w.items());
            sinks.archive().archiveUsers(shardId, w.start(), w.users());
            sinks.archive().deadLetter(shardId, w.start(), w.rejected());
            return credits;
        }
    }

    /** Since when the oldest data not yet checkpointed has waited (the closed window's, else the open one's). */
    private void reportPending() {
        metrics.pendingSince(shardId, closing != null ? Long.valueOf(closing.since())
                : windowStart != null ? Long.valueOf(windowSince) : null);
    }
}
