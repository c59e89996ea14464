package dev.recsys.common.keys;

/**
 * DynamoDB key layout of the {@code interactions} table. The key is (user_id, event_id): a producer
 * retry of the same event — same id, whatever its timestamp or arrival time — lands on the same row,
 * so it is one row and one count. (An event-time sort key made a retry without {@code timestamp} a
 * second row, because such events take their record's arrival time.) Time order comes from the local
 * index {@link #TIME_INDEX}; per-item queries from the global index {@link #ITEM_INDEX}.
 */
public final class InteractionKeys {

    public static final String PARTITION_KEY = "user_id";
    public static final String SORT_KEY = "event_id";
    /** Event time, epoch ms (a number): the sort key of both indexes. */
    public static final String EVENT_TIME = "event_time";
    /** LSI (user_id, event_time): a user's interactions in time order, strongly consistent. */
    public static final String TIME_INDEX = "TimeIndex";
    /** GSI (item_id, event_time): who interacted with an item, and whether anyone has. */
    public static final String ITEM_INDEX = "ItemIndex";
    public static final String ITEM_INDEX_PARTITION_KEY = "item_id";
    public static final String TTL_ATTRIBUTE = "ttl";

    private InteractionKeys() {}
}
