package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import java.util.List;

/**
 * Best-effort reaction to newly stored events and catalog changes (cache invalidation, real-time Personalize events,
 * items and users). Must never throw and never block for long: the stores, not these, are the source of truth.
 */
public interface StoredEventListener extends AutoCloseable {
    void onStored(List<Accepted> firstSeen);

    /** @param applied the item records that just became their item's state in the items table */
    default void onItemsStored(List<Cataloged> applied) {}

    /** @param applied the user records that just became their user's state in the users table */
    default void onUsersStored(List<UserCataloged> applied) {}

    @Override
    default void close() {}
}
