package dev.recsys.common.keys;

/**
 * DynamoDB key layout of the {@code interactions} table (and its {@code ItemIndex} GSI).
 * The sort key is the event time zero-padded to 13 digits, {@code #}, and the event id: unique
 * per event (the seed's numeric-seconds key collided) and lexicographically time-ordered.
 */
public final class InteractionKeys {

    public static final String PARTITION_KEY = "user_id";
    public static final String SORT_KEY = "sk";
    public static final String ITEM_INDEX = "ItemIndex";
    public static final String ITEM_INDEX_PARTITION_KEY = "item_id";
    public static final String TTL_ATTRIBUTE = "ttl";

    private InteractionKeys() {}

    public static String sortKey(long eventTimeMillis, String eventId) {
        if (eventTimeMillis < 0) {
            throw new IllegalArgumentException("event time must be >= 0");
        }
        return String.format("%013d#%s", eventTimeMillis, eventId);
    }

    /** The smallest sort key at or after the given time: for "interactions since" range queries. */
    public static String sortKeyLowerBound(long eventTimeMillis) {
        return String.format("%013d#", Math.max(0, eventTimeMillis));
    }
}
