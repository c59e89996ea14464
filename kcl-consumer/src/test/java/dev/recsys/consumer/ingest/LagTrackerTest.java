package dev.recsys.consumer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-interval fold of MillisBehindLatest over a worker's shards. */
class LagTrackerTest {

    private final LagTracker tracker = new LagTracker();

    @Test
    void anIntervalIsTheMaximumOverShardsOfEachShardsHighestReport() {
        tracker.report("shard-1", 1_200L, 1_000);
        tracker.report("shard-1", 300L, 2_000); // shard-1 caught up, but 1,200 was its worst of the interval
        tracker.report("shard-2", 800L, 2_500);
        tracker.report("shard-3", 0L, 2_600);

        assertThat(tracker.closeInterval(60_000)).isEqualTo(new LagTracker.Interval(1_200, 3, 0));
        assertThat(tracker.currentMax()).isEqualTo(800); // the gauge: last values
    }

    @Test
    void eachIntervalStartsAfreshForShardsThatKeepReporting() {
        tracker.report("shard-1", 9_000L, 1_000);
        tracker.report("shard-2", 100L, 1_000);
        tracker.closeInterval(60_000);

        tracker.report("shard-1", 50L, 61_000);
        tracker.report("shard-2", 70L, 61_000);

        assertThat(tracker.closeInterval(120_000)).isEqualTo(new LagTracker.Interval(70, 2, 0));
    }

    @Test
    void aReleasedShardStopsCountingAtOnce() {
        tracker.report("shard-1", 100L, 1_000);
        tracker.report("shard-2", 45_000L, 1_000);
        tracker.release("shard-2"); // lease lost: the next owner reports it now

        assertThat(tracker.closeInterval(60_000)).isEqualTo(new LagTracker.Interval(100, 1, 0));
        assertThat(tracker.currentMax()).isEqualTo(100);
    }

    @Test
    void aHeldShardThatFallsSilentCountsItsLastValuePlusTheTimeSince() {
        tracker.report("shard-1", 100L, 1_000);
        tracker.report("shard-2", 2_000L, 50_000);
        tracker.closeInterval(60_000);
        tracker.report("shard-1", 100L, 110_000); // shard-2 blocked (e.g. back-pressure) for the whole next interval

        assertThat(tracker.closeInterval(120_000)).isEqualTo(new LagTracker.Interval(2_000 + 70_000, 2, 1));
    }

    @Test
    void aWorkerWithoutShardsHasNothingToSay() {
        assertThat(tracker.closeInterval(60_000)).isNull();
        tracker.report("shard-1", null, 1_000); // the KCL had no value: no report
        assertThat(tracker.closeInterval(60_000)).isNull();
        tracker.report("shard-1", 10L, 1_000);
        tracker.release("shard-1");
        assertThat(tracker.closeInterval(60_000)).isNull();
        assertThat(tracker.currentMax()).isZero();
    }
}
