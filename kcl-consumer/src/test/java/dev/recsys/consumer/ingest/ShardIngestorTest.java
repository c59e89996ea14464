package dev.recsys.consumer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.event.RejectReason;
import dev.recsys.consumer.attribution.AttributionPolicy;
import dev.recsys.consumer.attribution.Attributor;
import dev.recsys.consumer.attribution.Credit;
import dev.recsys.consumer.attribution.ExposureLookup;
import dev.recsys.consumer.attribution.ExposureRef;
import dev.recsys.consumer.record.IngestedRecord;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.CatalogChange;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import dev.recsys.consumer.record.IngestedRecord.Rejected;
import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import dev.recsys.consumer.record.RecordPosition;
import dev.recsys.consumer.sink.ArchiveStore;
import dev.recsys.consumer.sink.ItemStore;
import dev.recsys.consumer.sink.ExperimentStore;
import dev.recsys.consumer.sink.ExposureStore;
import dev.recsys.consumer.sink.InteractionStore;
import dev.recsys.consumer.sink.ProfileStore;
import dev.recsys.consumer.sink.SinkException;
import dev.recsys.consumer.sink.StoredEventListener;
import dev.recsys.consumer.sink.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardIngestorTest {

    static final class MutableClock extends Clock {
        long now = 1_000_000;

        @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(now); }
    }

    /** In-memory stores that can be told to fail, recording what was made durable. */
    static final class Stores implements InteractionStore, ExposureStore, ItemStore, UserStore, ProfileStore, ArchiveStore,
            StoredEventListener, ExperimentStore, ExposureLookup {
        /** Per item, the greatest revision stored (the items table's rule). */
        final Map<String, String> itemRevisions = new java.util.HashMap<>();
        final List<String> archivedItems = new ArrayList<>();
        final List<String> notifiedItems = new ArrayList<>();
        /** Per user, the greatest revision stored (the users table's rule), and whether that record is a delete. */
        final Map<String, String> userRevisions = new java.util.HashMap<>();
        final Set<String> deletedUsers = new HashSet<>();
        final List<String> archivedUsers = new ArrayList<>();
        final List<String> notifiedUsers = new ArrayList<>();
        boolean failUsers;
        final Set<String> rows = new HashSet<>();
        final List<String> profileEvents = new ArrayList<>();
        final List<String> archived = new ArrayList<>();
        final List<String> deadLetters = new ArrayList<>();
        final List<String> notified = new ArrayList<>();
        final List<String> exposureRows = new ArrayList<>();
        final List<String> archivedExposures = new ArrayList<>();
        final List<Credit> credits = new ArrayList<>();
        boolean failInteractions, failProfiles, failArchive, failExperiments;
        /** When set, profile writes (the checkpoint tier's first) wait for it: a slow window. */
        volatile java.util.concurrent.CountDownLatch gate;
        final java.util.concurrent.atomic.AtomicInteger windowWritesStarted = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public List<Accepted> store(String shardId, List<Accepted> events) {
            if (failInteractions) throw new SinkException("dynamodb down");
            List<Accepted> out = new ArrayList<>();
            for (Accepted a : events) out.add(a.withFirstSeen(rows.add(a.event().eventId())));
            return out;
        }

        @Override
        public void apply(String shardId, List<Accepted> firstSeen) {
            windowWritesStarted.incrementAndGet();
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new SinkException("interrupted");
                }
            }
            if (failProfiles) throw new SinkException("profiles down");
            firstSeen.forEach(a -> profileEvents.add(a.event().eventId()));
        }

        @Override
        public void archive(String shardId, RecordPosition windowStart, List<Accepted> events) {
            if (failArchive) throw new SinkException("s3 down");
            events.forEach(a -> archived.add(a.event().eventId()));
        }

        @Override
        public void deadLetter(String shardId, RecordPosition windowStart, List<Rejected> rejected) {
            if (failArchive) throw new SinkException("s3 down");
            rejected.forEach(r -> deadLetters.add(r.reason().name()));
        }

        @Override
        public void onStored(List<Accepted> firstSeen) {
            firstSeen.forEach(a -> notified.add(a.event().eventId()));
        }

        @Override
        public List<Exposed> storeExposures(String shardId, List<Exposed> exposures) {
            if (failInteractions) throw new SinkException("dynamodb down");
            List<Exposed> out = new ArrayList<>();
            for (Exposed x : exposures) {
                boolean first = !exposureRows.contains(x.exposure().recommendationId());
                if (first) exposureRows.add(x.exposure().recommendationId());
                out.add(x.withFirstSeen(first));
            }
            return out;
        }

        @Override
        public void archiveExposures(String shardId, RecordPosition windowStart, List<Exposed> exposures) {
            if (failArchive) throw new SinkException("s3 down");
            exposures.forEach(x -> archivedExposures.add(x.exposure().recommendationId()));
        }

        @Override
        public List<Cataloged> storeItems(String shardId, List<Cataloged> items) {
            if (failInteractions) throw new SinkException("dynamodb down");
            return byRevision(itemRevisions, items);
        }

        @Override
        public List<UserCataloged> storeUsers(String shardId, List<UserCataloged> users) {
            if (failInteractions || failUsers) throw new SinkException("users table down");
            List<UserCataloged> out = byRevision(userRevisions, users);
            out.stream().filter(UserCataloged::applied).forEach(u -> {
                if (u.isDelete()) deletedUsers.add(u.entityId());
                else deletedUsers.remove(u.entityId());
            });
            return out;
        }

        /** A record applies when it is newer than what the entity's row holds (the conditional put's rule). */
        private static <R extends CatalogChange<R>> List<R> byRevision(Map<String, String> revisions, List<R> records) {
            List<R> out = new ArrayList<>();
            for (R r : records) {
                String stored = revisions.get(r.entityId());
                boolean newer = stored == null || stored.compareTo(r.revision()) < 0;
                if (newer) revisions.put(r.entityId(), r.revision());
                out.add(r.withApplied(newer));
            }
            return out;
        }

        @Override
        public void onUsersStored(List<UserCataloged> applied) {
            applied.forEach(u -> notifiedUsers.add(u.entityId() + "@" + u.updatedAt()));
        }

        @Override
        public void archiveUsers(String shardId, RecordPosition windowStart, List<UserCataloged> users) {
            if (failArchive) throw new SinkException("s3 down");
            users.forEach(u -> archivedUsers.add(u.entityId() + "@" + u.updatedAt()));
        }

        @Override
        public void onItemsStored(List<Cataloged> applied) {
            applied.forEach(c -> notifiedItems.add(c.item().itemId() + "@" + c.item().updatedAt()));
        }

        @Override
        public void archiveItems(String shardId, RecordPosition windowStart, List<Cataloged> items) {
            if (failArchive) throw new SinkException("s3 down");
            items.forEach(c -> archivedItems.add(c.item().itemId() + "@" + c.item().updatedAt()));
        }

        @Override
        public void credit(String shardId, List<Credit> c) {
            if (failExperiments) throw new SinkException("experiments down");
            credits.addAll(c);
        }

        @Override
        public Map<ById, ExposureRef> byIds(java.util.Collection<ById> ids) {
            return Map.of();
        }

        @Override
        public Map<String, List<ExposureRef>> recent(Map<String, Interval> intervalByUser) {
            return Map.of();
        }

        @Override
        public Map<String, Long> latest(java.util.Collection<String> users) {
            return Map.of();
        }
    }

    final MutableClock clock = new MutableClock();
    final Stores stores = new Stores();
    final FlushPolicy policy = new FlushPolicy(500, 100, 10_000, 1_000, 5_000);
    final ShardIngestor ingestor = new ShardIngestor("shard-1", sinks(stores), policy, clock, new IngestMetrics(new MetricRegistry()),
            new ShardWriteOrder(Runnable::run));
    long seq = 100;

    /** Every store and the listener are {@code stores}. */
    static Sinks sinks(Stores stores) {
        return new Sinks(stores, stores, stores, stores, List.of(stores), stores, stores, new Attributor(AttributionPolicy.defaults(), stores),
                stores);
    }

    IngestedRecord event(String id) {
        return new Accepted(InteractionEvent.of(id, "u1", "i1", "view", 1_700_000_000_000L), new RecordPosition(Long.toString(seq++), 0), true);
    }

    IngestedRecord exposure(String id, String user) {
        return new Exposed(new dev.recsys.common.event.Exposure(id, 1_700_000_000_000L, dev.recsys.common.event.Exposure.USER_RECOMMENDATIONS,
                "exp", "a", null, null, null, "personalize", null, user, null, List.of("i1"), false),
                new RecordPosition(Long.toString(seq++), 0), true);
    }

    IngestedRecord item(String id, long updatedAt) {
        return new Cataloged(new CatalogItem(id, CatalogItem.Operation.UPSERT, updatedAt, "books", null, List.of(), null,
                1_700_000_000_000L, true, Map.of()), new RecordPosition(Long.toString(seq++), 0), true);
    }

    IngestedRecord user(CatalogUser user) {
        return new UserCataloged(user, new RecordPosition(Long.toString(seq++), 0), true);
    }

    IngestedRecord poison() {
        return new Rejected(RejectReason.INVALID_JSON, "bad", new byte[] {1}, "pk", new RecordPosition(Long.toString(seq++), 0), 0);
    }

    @Test
    void itemsAreStoredInTheFastTierAndEveryItemRecordIsArchivedBeforeTheCheckpoint() {
        IngestMetrics metrics = new IngestMetrics(new MetricRegistry());
        ShardIngestor items = new ShardIngestor("shard-9", sinks(stores), policy, clock, metrics, new ShardWriteOrder(Runnable::run));
        items.add(List.of(item("i1", 2_000), event("a"), item("i1", 1_000), item("i2", 5)), clock.millis());
        clock.now += 500;
        assertThat(items.flushDue(false)).isEmpty();
        assertThat(stores.itemRevisions).containsOnlyKeys("i1", "i2");
        assertThat(stores.itemRevisions.get("i1")).startsWith("0000000000000002000");
        assertThat(stores.archivedItems).as("not before the checkpoint tier").isEmpty();
        assertThat(metrics.itemsWritten.getCount()).isEqualTo(2);
        assertThat(metrics.itemsSuperseded.getCount()).as("i1@1000 arrived after i1@2000").isEqualTo(1);
        assertThat(stores.notifiedItems).as("listeners hear of applied records only").containsExactly("i1@2000", "i2@5");
        clock.now += 10_000;
        assertThat(items.flushDue(false)).isPresent();
        assertThat(stores.archivedItems).as("the lake keeps superseded records too").containsExactly("i1@2000", "i1@1000", "i2@5");
    }

    @Test
    void usersAreStoredInTheFastTierDeletesStayAndEveryUserRecordIsArchivedBeforeTheCheckpoint() {
        IngestMetrics metrics = new IngestMetrics(new MetricRegistry());
        ShardIngestor users = new ShardIngestor("shard-8", sinks(stores), policy, clock, metrics, new ShardWriteOrder(Runnable::run));
        users.add(List.of(user(CatalogUser.upsert("u1", 2_000, "books", "plus", 30)), event("a"), item("i1", 7),
                user(CatalogUser.upsert("u1", 1_000, "music", "free", 31)), user(CatalogUser.delete("u2", 50)),
                user(CatalogUser.upsert("u2", 40, "books", null, null)), poison()), clock.millis());
        clock.now += 500;
        assertThat(users.flushDue(false)).isEmpty();
        assertThat(stores.userRevisions).containsOnlyKeys("u1", "u2");
        assertThat(stores.userRevisions.get("u1")).startsWith("0000000000000002000");
        assertThat(stores.deletedUsers).as("the delete holds over the older upsert that came after it").containsExactly("u2");
        assertThat(stores.itemRevisions).as("items beside users").containsOnlyKeys("i1");
        assertThat(metrics.usersWritten.getCount()).isEqualTo(2);
        assertThat(metrics.usersSuperseded.getCount()).as("u1@1000 and u2@40 arrived after newer records").isEqualTo(2);
        assertThat(metrics.itemsWritten.getCount()).as("user records are not counted as items").isEqualTo(1);
        assertThat(stores.notifiedUsers).as("listeners hear of applied records only").containsExactly("u1@2000", "u2@50");
        assertThat(stores.archivedUsers).as("not before the checkpoint tier").isEmpty();
        clock.now += 10_000;
        assertThat(users.flushDue(false)).contains(new RecordPosition(Long.toString(seq - 1), 0));
        assertThat(stores.archivedUsers).as("the lake keeps superseded records too").containsExactly("u1@2000", "u1@1000", "u2@50", "u2@40");
        assertThat(stores.archivedItems).containsExactly("i1@7");
        assertThat(stores.deadLetters).containsExactly("INVALID_JSON");
    }

    @Test
    void aFailedUsersWriteHoldsTheCheckpointAndARetryAppliesAndArchivesEachRecordOnce() {
        IngestMetrics metrics = new IngestMetrics(new MetricRegistry());
        ShardIngestor users = new ShardIngestor("shard-7", sinks(stores), policy, clock, metrics, new ShardWriteOrder(Runnable::run));
        stores.failUsers = true;
        users.add(List.of(user(CatalogUser.upsert("u1", 10, "books", null, 20)), poison(), user(CatalogUser.delete("u1", 20))), clock.millis());
        assertThatThrownBy(() -> users.flushDue(true)).isInstanceOf(SinkException.class);
        assertThat(users.bufferedRecords()).as("nothing acknowledged").isEqualTo(3);
        assertThat(stores.userRevisions).isEmpty();
        assertThat(stores.deadLetters).as("the window's dead letters wait with it").isEmpty();
        stores.failUsers = false;
        assertThat(users.flushDue(true)).contains(new RecordPosition(Long.toString(seq - 1), 0));
        assertThat(stores.deletedUsers).containsExactly("u1");
        assertThat(stores.archivedUsers).containsExactly("u1@10", "u1@20");
        assertThat(stores.deadLetters).containsExactly("INVALID_JSON");
        assertThat(metrics.usersWritten.getCount() + metrics.usersSuperseded.getCount() + metrics.deadLettered.getCount())
                .as("every record read once: written, superseded or dead-lettered").isEqualTo(3);
    }

    @Test
    void interactionsBecomeQueryableBeforeTheCheckpointWindowCloses() {
        ingestor.add(List.of(event("a"), event("b")), clock.millis());
        assertThat(ingestor.flushDue(false)).isEmpty();
        assertThat(stores.rows).isEmpty();
        clock.now += 500;
        assertThat(ingestor.flushDue(false)).as("window still open").isEmpty();
        assertThat(stores.rows).containsExactlyInAnyOrder("a", "b");
        assertThat(stores.notified).containsExactly("a", "b");
        assertThat(stores.profileEvents).isEmpty();
        clock.now += 10_000;
        assertThat(ingestor.flushDue(false)).contains(new RecordPosition("101", 0));
        assertThat(stores.profileEvents).containsExactly("a", "b");
        assertThat(stores.archived).containsExactly("a", "b");
    }

    @Test
    void exposuresAreStoredInTheFastTierThenArchivedAndCreditedBeforeTheCheckpoint() {
        ingestor.add(List.of(exposure("r1", "u1"), event("a"), exposure("r1", "u1"), exposure("r2", "u2")), clock.millis());
        clock.now += 500;
        assertThat(ingestor.flushDue(false)).isEmpty();
        assertThat(stores.exposureRows).as("attributable before the window closes").containsExactly("r1", "r2");
        assertThat(stores.credits).isEmpty();
        clock.now += 10_000;
        assertThat(ingestor.flushDue(false)).isPresent();
        assertThat(stores.archivedExposures).as("the resent r1 is a duplicate").containsExactly("r1", "r2");
        assertThat(stores.credits).extracting(Credit::userId).containsExactly("u1", "u2");
    }

    @Test
    void aFailedExperimentWriteHoldsTheCheckpointAndIsRetriedWithTheWindow() {
        stores.failExperiments = true;
        ingestor.add(List.of(exposure("r1", "u1"), event("a")), clock.millis());
        assertThatThrownBy(() -> ingestor.flushDue(true)).isInstanceOf(SinkException.class);
        assertThat(stores.credits).isEmpty();
        stores.failExperiments = false;
        assertThat(ingestor.flushDue(true)).contains(new RecordPosition("101", 0));
        assertThat(stores.credits).hasSize(1);
    }

    @Test
    void recordCountTriggersBothTiers() {
        List<IngestedRecord> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) batch.add(event("e" + i));
        ingestor.add(batch, clock.millis());
        assertThat(ingestor.flushDue(false)).contains(new RecordPosition(Long.toString(seq - 1), 0));
        assertThat(stores.archived).hasSize(1_000);
    }

    @Test
    void duplicatesAreStoredOnceCountedOnceArchivedOnce() {
        ingestor.add(List.of(event("a"), event("a"), event("b")), clock.millis());
        clock.now += 500;
        ingestor.flushDue(false);
        ingestor.add(List.of(event("a")), clock.millis());
        assertThat(ingestor.flushDue(true)).isPresent();
        assertThat(stores.profileEvents).containsExactly("a", "b");
        assertThat(stores.archived).containsExactly("a", "b");
    }

    @Test
    void aReleasedShardCountsWhatItGivesBackSoEveryRecordReadIsAccountedOnceReplayed() {
        MetricRegistry registry = new MetricRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        Sinks sinks = sinks(stores);
        ShardIngestor lost = new ShardIngestor("shard-1", sinks, policy, clock, metrics, new ShardWriteOrder(Runnable::run));
        List<IngestedRecord> first = List.of(event("a"), poison(), event("b"));
        lost.add(first, clock.millis());
        clock.now += 500;
        assertThat(lost.flushDue(false)).as("stored, window still open").isEmpty();
        List<IngestedRecord> second = List.of(event("c"), event("d"));
        lost.add(second, clock.millis());
        // The lease is lost here: a, b are stored; the reject's dead letter and c, d are not written.
        assertThat(lost.release()).isEqualTo(3);
        assertThat(lost.bufferedRecords()).isZero();
        assertThat(stores.rows).containsExactlyInAnyOrder("a", "b");

        // The next owner replays from the last checkpoint (none): everything again.
        ShardIngestor next = new ShardIngestor("shard-1", sinks, policy, clock, metrics, new ShardWriteOrder(Runnable::run));
        List<IngestedRecord> replay = new ArrayList<>(first);
        replay.addAll(second);
        next.add(replay, clock.millis());
        assertThat(next.flushDue(true)).isPresent();
        assertThat(stores.rows).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(stores.deadLetters).containsExactly("INVALID_JSON");
        long read = first.size() + second.size() + replay.size();
        assertThat(metrics.eventsWritten.getCount() + metrics.duplicates.getCount() + metrics.deadLettered.getCount()
                + metrics.recordsReleased.getCount()).as("every record read: written, duplicate, dead-lettered or released")
                .isEqualTo(read);
        assertThat(metrics.recordsReleased.getCount()).isEqualTo(3);
        assertThat(metrics.duplicates.getCount()).isEqualTo(2);
    }

    @Test
    void aNewOwnerInThisJvmStartsItsWindowOnlyAfterTheLostOwnersWindowFinishedWriting() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            ShardWriteOrder order = new ShardWriteOrder(pool);
            Sinks sinks = sinks(stores);
            IngestMetrics metrics = new IngestMetrics(new MetricRegistry());
            stores.gate = new java.util.concurrent.CountDownLatch(1);
            ShardIngestor lost = new ShardIngestor("shard-1", sinks, policy, clock, metrics, order);
            lost.add(List.of(event("a"), event("b")), clock.millis());
            clock.now += 10_000;
            assertThat(lost.flushDue(false)).as("the window's writes are held at the gate").isEmpty();
            lost.release(); // lease lost while that window is still writing

            ShardIngestor next = new ShardIngestor("shard-1", sinks, policy, clock, metrics, order);
            next.add(List.of(event("c")), clock.millis());
            var forced = java.util.concurrent.CompletableFuture.supplyAsync(() -> next.flushDue(true));
            Thread.sleep(300);
            assertThat(stores.windowWritesStarted.get()).as("the new owner's window waits for the lost one's").isEqualTo(1);
            assertThat(forced).isNotDone();
            stores.gate.countDown();
            assertThat(forced.get(5, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
            assertThat(stores.archived).as("the lost owner's archive lands first, the replay's after it").containsExactly("a", "b", "c");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void poisonIsDeadLetteredAndDoesNotStopTheShard() {
        ingestor.add(List.of(poison(), event("a"), poison()), clock.millis());
        Optional<RecordPosition> cp = ingestor.flushDue(true);
        assertThat(cp).contains(new RecordPosition("102", 0));
        assertThat(stores.deadLetters).containsExactly("INVALID_JSON", "INVALID_JSON");
        assertThat(stores.archived).containsExactly("a");
    }

    @Test
    void failedInteractionWriteKeepsEverythingAndNeverYieldsACheckpoint() {
        stores.failInteractions = true;
        ingestor.add(List.of(event("a"), event("b")), clock.millis());
        assertThatThrownBy(() -> ingestor.flushDue(true)).isInstanceOf(SinkException.class);
        ingestor.add(List.of(event("c")), clock.millis());
        assertThatThrownBy(() -> ingestor.flushDue(true)).isInstanceOf(SinkException.class);
        assertThat(ingestor.bufferedRecords()).isEqualTo(3);
        stores.failInteractions = false;
        assertThat(ingestor.flushDue(true)).contains(new RecordPosition("102", 0));
        assertThat(stores.archived).containsExactly("a", "b", "c");
        assertThat(stores.profileEvents).containsExactly("a", "b", "c");
    }

    @Test
    void failedArchiveRetriesTheWholeWindowWithoutLosingLaterRecords() {
        ingestor.add(List.of(event("a")), clock.millis());
        stores.failArchive = true;
        assertThatThrownBy(() -> ingestor.flushDue(true)).isInstanceOf(SinkException.class);
        assertThat(stores.rows).containsExactly("a");
        ingestor.add(List.of(event("b")), clock.millis());
        stores.failArchive = false;
        assertThat(ingestor.flushDue(true)).contains(new RecordPosition("101", 0));
        assertThat(stores.archived).containsExactly("a", "b");
        // profile application is re-run on retry; the real store is idempotent per position
        assertThat(stores.profileEvents).contains("a", "b");
    }

    @Test
    void bufferLimitIsReported() {
        List<IngestedRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) batch.add(event("e" + i));
        stores.failInteractions = true;
        ingestor.add(batch, clock.millis());
        assertThat(ingestor.isOverBufferLimit()).isTrue();
    }

    /** The checkpoint tier run only when a test says so: a closed window's writes still in flight. */
    final List<Runnable> checkpointTier = new ArrayList<>();
    final ShardIngestor pipelined = new ShardIngestor("shard-2", sinks(stores), policy, clock, new IngestMetrics(new MetricRegistry()),
            new ShardWriteOrder(checkpointTier::add));

    @Test
    void newRecordsBecomeQueryableWhileAClosedWindowIsStillBeingWritten() {
        pipelined.add(List.of(event("a")), clock.millis());
        clock.now += 10_000;
        assertThat(pipelined.flushDue(false)).as("a's window closed, its writes not done").isEmpty();
        assertThat(checkpointTier).hasSize(1);
        pipelined.add(List.of(event("b")), clock.millis());
        clock.now += 500;
        assertThat(pipelined.flushDue(false)).isEmpty();
        assertThat(stores.rows).as("b queryable while a's window is written").containsExactlyInAnyOrder("a", "b");
        assertThat(stores.profileEvents).isEmpty();
        assertThat(pipelined.bufferedRecords()).as("neither is checkpointed yet").isEqualTo(2);

        checkpointTier.remove(0).run();
        assertThat(pipelined.flushDue(false)).as("a's end, not b's").contains(new RecordPosition("100", 0));
        assertThat(pipelined.bufferedRecords()).isEqualTo(1);
        clock.now += 10_000;
        assertThat(pipelined.flushDue(false)).isEmpty();
        checkpointTier.remove(0).run();
        assertThat(pipelined.flushDue(false)).contains(new RecordPosition("101", 0));
        assertThat(stores.profileEvents).containsExactly("a", "b");
        assertThat(checkpointTier).isEmpty();
    }

    @Test
    void aFailedClosedWindowIsRetriedFirstAndNothingAfterItIsCheckpointedBeforeIt() {
        pipelined.add(List.of(event("a")), clock.millis());
        clock.now += 10_000;
        pipelined.flushDue(false);
        stores.failArchive = true;
        checkpointTier.remove(0).run();
        assertThatThrownBy(() -> pipelined.flushDue(false)).isInstanceOf(SinkException.class);
        pipelined.add(List.of(event("b")), clock.millis());
        clock.now += 10_000;
        stores.failArchive = false;
        assertThat(pipelined.flushDue(false)).as("a's window resubmitted; b's waits behind it").isEmpty();
        assertThat(checkpointTier).hasSize(1);
        assertThat(stores.rows).contains("b");
        checkpointTier.remove(0).run();
        assertThat(stores.archived).containsExactly("a");
        assertThat(pipelined.flushDue(false)).contains(new RecordPosition("100", 0));
        checkpointTier.remove(0).run();
        assertThat(pipelined.flushDue(false)).contains(new RecordPosition("101", 0));
        assertThat(stores.archived).containsExactly("a", "b");
    }

    @Test
    void aForcedFlushWaitsForTheClosedWindowThenWritesTheOpenOne() throws Exception {
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            ShardIngestor threaded = new ShardIngestor("shard-3", sinks(stores), policy, clock, new IngestMetrics(new MetricRegistry()),
                    new ShardWriteOrder(thread));
            stores.gate = new java.util.concurrent.CountDownLatch(1);
            threaded.add(List.of(event("a")), clock.millis());
            clock.now += 10_000;
            assertThat(threaded.flushDue(false)).as("a's window is held at the gate").isEmpty();
            threaded.add(List.of(event("b")), clock.millis());
            java.util.concurrent.CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(stores.gate::countDown);
            assertThat(threaded.flushDue(true)).as("shutdown: both windows durable, b's end").contains(new RecordPosition("101", 0));
            assertThat(stores.profileEvents).containsExactly("a", "b");
            assertThat(threaded.bufferedRecords()).isZero();
        } finally {
            thread.shutdownNow();
        }
    }
}
