package dev.recsys.common.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Redis layout shared by the API (which caches) and the kcl-consumer (which invalidates).
 * All of one user's cached answers live in one hash, so a new interaction invalidates them with
 * a single {@code DEL}; fields carry the model/campaign version, so a retrain never serves stale entries.
 * Keys wrap the id in a hash tag ({@code {id}}) so a user's hash, its generation and its locks share
 * one cluster slot (the scripts below touch two of them at once).
 *
 * <p>Why a generation: plain cache-aside has a write-after-invalidate race. A request that read the
 * model before an event reached it, and writes its answer after the consumer's {@code DEL}, would
 * cache the stale answer for a whole TTL. So the consumer bumps the hash's generation in the same
 * script that deletes it, the API reads the generation when it misses, and its fill only writes
 * when the generation is still the one it saw ({@link #FILL_IF_GENERATION}).
 */
public final class RecommendationCacheKeys {

    public static final String USER_PREFIX = "recs:u:";
    public static final String ITEM_PREFIX = "recs:i:";
    /** Answers that belong to no user and no item (trending items asked without a user). */
    public static final String GLOBAL_PREFIX = "recs:g:";
    /** A filter part longer than this is replaced by its digest: fields (and the fill locks named after them) stay short. */
    static final int MAX_FILTER_PART = 200;

    /**
     * The consumer's invalidation. KEYS[1] = the hash, KEYS[2] = its generation; ARGV[1] = the
     * generation's expiry in ms (longer than any entry's TTL, so no fill can outlive it).
     * Returns the new generation.
     */
    public static final String INVALIDATE = """
            local g = redis.call('incr', KEYS[2])
            redis.call('pexpire', KEYS[2], ARGV[1])
            redis.call('del', KEYS[1])
            return g""";

    /**
     * The API's conditional fill. KEYS[1] = the hash, KEYS[2] = its generation; ARGV[1] = the
     * generation seen when the request missed ("" when there was none), ARGV[2] = field,
     * ARGV[3] = value, ARGV[4] = the hash's TTL in ms. Returns 1 when written, 0 when an
     * invalidation came in between (the answer may predate the event, so it is not kept).
     */
    public static final String FILL_IF_GENERATION = """
            local g = redis.call('get', KEYS[2]) or ''
            if g ~= ARGV[1] then return 0 end
            redis.call('hset', KEYS[1], ARGV[2], ARGV[3])
            redis.call('pexpire', KEYS[1], ARGV[4])
            return 1""";

    private RecommendationCacheKeys() {}

    /** The hash holding every cached answer for this user; deleting it invalidates them all. */
    public static String userKey(String userId) {
        return USER_PREFIX + "{" + userId + "}";
    }

    /** The hash holding cached related-items answers for one item (not per user: TTL and version bound them). */
    public static String itemKey(String itemId) {
        return ITEM_PREFIX + "{" + itemId + "}";
    }

    /** The hash holding cached answers that belong to no user, e.g. {@code trending}: TTL and version bound them. */
    public static String globalKey(String name) {
        return GLOBAL_PREFIX + "{" + name + "}";
    }

    /**
     * The part of a cache field that names a filter and the values of its parameters: empty without a filter, else
     * {@code name(PARAM:v1,v2;PARAM2:v3)} with parameters and values sorted and de-duplicated (the same filter asked
     * with the values in another order is the same answer) and {@code \ , ; )} escaped, so two different requests never
     * share a field. Longer than {@value #MAX_FILTER_PART} characters: {@code name#<sha-256 of that form>}. Every
     * field of a user's answers lives in the user's hash, so the consumer's one {@code DEL} clears every filter's entry.
     */
    public static String filterPart(String filterName, Map<String, List<String>> values) {
        if (filterName == null) return "";
        StringBuilder b = new StringBuilder(filterName).append('(');
        boolean firstParam = true;
        for (Map.Entry<String, List<String>> p : new TreeMap<>(values).entrySet()) {
            if (!firstParam) b.append(';');
            firstParam = false;
            b.append(escape(p.getKey())).append(':');
            boolean firstValue = true;
            for (String v : new TreeSet<>(p.getValue())) {
                if (!firstValue) b.append(',');
                firstValue = false;
                b.append(escape(v));
            }
        }
        String canonical = b.append(')').toString();
        return canonical.length() <= MAX_FILTER_PART ? canonical : filterName + "#" + sha256(canonical);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace(")", "\\)").replace(":", "\\:");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The counter the consumer bumps on every invalidation of {@code hashKey}. */
    public static String generationKey(String hashKey) {
        return hashKey + ":gen";
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
