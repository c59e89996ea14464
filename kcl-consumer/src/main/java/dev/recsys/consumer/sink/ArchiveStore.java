package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import dev.recsys.consumer.record.IngestedRecord.Rejected;
import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import dev.recsys.consumer.record.RecordPosition;
import java.util.List;

/** Slow tier: raw events and dead letters as batched objects, named so that a replay overwrites. */
public interface ArchiveStore {

    /** @param windowStart position of the first record of the flush window: names the objects */
    void archive(String shardId, RecordPosition windowStart, List<Accepted> events);

    /** Exposures beside the interactions (by exposure time), named like them. */
    void archiveExposures(String shardId, RecordPosition windowStart, List<Exposed> exposures);

    /**
     * Every accepted item record (applied or not: the lake is the log, the Items dataset is each item's greatest
     * revision), by update time, named like the interactions.
     */
    void archiveItems(String shardId, RecordPosition windowStart, List<Cataloged> items);

    /** Every accepted user record, applied or not, by update time, as {@link #archiveItems} does for items. */
    void archiveUsers(String shardId, RecordPosition windowStart, List<UserCataloged> users);

    void deadLetter(String shardId, RecordPosition windowStart, List<Rejected> rejected);
}
