package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import java.util.List;

/**
 * Best-effort reaction to newly stored events and catalog changes (cache invalidation, real-time Personalize events
 * and items). Must never throw and never block for long: the stores, not these, are the source of truth.
 */
public interface StoredEventListener extends AutoCloseable {
    void onStored(List<Accepted> firstSeen);

    /** @param applied the item records that just became their item's state in the items table */
    default void onItemsStored(List<Cataloged> applied) {}

    @Override
    default void close() {}
}
