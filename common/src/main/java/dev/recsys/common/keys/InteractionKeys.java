package dev.recsys.common.keys;

import dev.recsys.common.contract.Contract;

/**
 * DynamoDB key layout of the {@code interactions} table. The key is (user_id, event_id): a producer
 * retry of the same event — same id, whatever its timestamp or arrival time — lands on the same row,
 * so it is one row and one count. (An event-time sort key made a retry without {@code timestamp} a
 * second row, because such events take their record's arrival time.) Time order comes from the local
 * index {@link #TIME_INDEX}; per-item queries from the global index {@link #ITEM_INDEX}.
 */
public final class InteractionKeys {

    private static final Contract.Interactions TABLE = Contract.get().tables().interactions();

    public static final String PARTITION_KEY = TABLE.hashKey();
    public static final String SORT_KEY = TABLE.rangeKey();
    /** Event time, epoch ms (a number): the sort key of both indexes. */
    public static final String EVENT_TIME = TABLE.eventTime();
    /** LSI (user_id, event_time): a user's interactions in time order, strongly consistent. */
    public static final String TIME_INDEX = TABLE.timeIndex();
    /** GSI (item_id, event_time): who interacted with an item, and whether anyone has. */
    public static final String ITEM_INDEX = TABLE.itemIndex();
    public static final String ITEM_INDEX_PARTITION_KEY = TABLE.itemIndexHashKey();
    public static final String TTL_ATTRIBUTE = TABLE.ttl();

    private InteractionKeys() {}
}
