package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import java.util.List;

/**
 * Fast tier: user metadata ({@code users} table), with the items table's rules ({@link ItemStore}): each user keeps the
 * record with the greatest revision it has seen, deletes as tombstones, whatever order records arrive or are replayed in.
 */
public interface UserStore {

    /** As {@link ItemStore#storeItems}: every record back, in order, {@code applied} false when nothing changed. */
    List<UserCataloged> storeUsers(String shardId, List<UserCataloged> users);
}
