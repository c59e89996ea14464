package dev.recsys.common.cache;

/**
 * Redis layout shared by the API (which caches) and the kcl-consumer (which invalidates).
 * All of one user's cached answers live in one hash, so a new interaction invalidates them with
 * a single {@code DEL}; fields carry the model/campaign version, so a retrain never serves stale entries.
 * Keys wrap the id in a hash tag ({@code {id}}) so a user's hash and its locks share one cluster slot.
 */
public final class RecommendationCacheKeys {

    public static final String USER_PREFIX = "recs:u:";
    public static final String ITEM_PREFIX = "recs:i:";

    private RecommendationCacheKeys() {}

    /** The hash holding every cached answer for this user; deleting it invalidates them all. */
    public static String userKey(String userId) {
        return USER_PREFIX + "{" + userId + "}";
    }

    /** The hash holding cached related-items answers for one item (not per user: TTL and version bound them). */
    public static String itemKey(String itemId) {
        return ITEM_PREFIX + "{" + itemId + "}";
    }

    /**
     * The short-lived lock that lets one caller fill a missing field while the others wait for it
     * (stampede protection across Lambda instances). Lives beside the hash, not inside it, so an
     * invalidating {@code DEL} of the hash never touches a lock in flight.
     */
    public static String fillLockKey(String hashKey, String field) {
        return hashKey + ":fill:" + field;
    }
}
