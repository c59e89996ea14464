package dev.recsys.common.cache;

/**
 * Redis layout shared by the API (which caches) and the kcl-consumer (which invalidates).
 * All of one user's cached answers live in one hash, so a new interaction invalidates them with
 * a single {@code DEL}; fields carry the model/campaign version, so a retrain never serves stale entries.
 */
public final class RecommendationCacheKeys {

    public static final String USER_PREFIX = "recs:u:";

    private RecommendationCacheKeys() {}

    /** The hash holding every cached answer for this user; deleting it invalidates them all. */
    public static String userKey(String userId) {
        return USER_PREFIX + "{" + userId + "}";
    }
}
