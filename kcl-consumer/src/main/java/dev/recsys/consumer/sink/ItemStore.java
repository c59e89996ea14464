package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import java.util.List;

/**
 * Fast tier: the catalog ({@code items} table). Each item keeps the record with the greatest revision it has seen,
 * deletes as tombstones, whatever order records arrive or are replayed in.
 */
public interface ItemStore {

    /**
     * Durably applies the records and returns all of them, in order, with {@code applied} set: false for a record the
     * table already held (a replay, a producer retry) or that a later record of the same item supersedes.
     */
    List<Cataloged> storeItems(String shardId, List<Cataloged> items);
}
