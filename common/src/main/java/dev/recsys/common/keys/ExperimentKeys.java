package dev.recsys.common.keys;

/**
 * Tables of the online loop, shared by the consumer (the only writer), the API (reads results) and
 * the pipeline (decides on results).
 *
 * <ul>
 *   <li>{@code exposures}: PK {@code user_id}, SK {@code recommendation_id}; LSI {@link #EXPOSURE_TIME_INDEX}
 *       on {@code exposed_at} for the attribution window; TTL. One row per answer shown to a known user, and
 *       one summary row per user ({@link #LATEST_EXPOSURE}) with the time of their latest answer.</li>
 *   <li>{@code experiment_users}: PK {@code user_id}, SK {@link #ARM} ({@code experiment|route|variant}): one
 *       user's exposures, clicks and conversions in one arm, counted exactly once (per-shard watermark).</li>
 *   <li>{@code experiments}: PK {@code experiment}, SK {@link #ARM} ({@code route|variant}): the results,
 *       recomputed from {@code experiment_users}, as the JSON of {@code ArmResult} in {@link #RESULT}.</li>
 * </ul>
 */
public final class ExperimentKeys {

    public static final String USER_ID = "user_id";
    public static final String RECOMMENDATION_ID = "recommendation_id";
    public static final String EXPOSED_AT = "exposed_at";
    public static final String EXPOSURE_TIME_INDEX = "TimeIndex";
    public static final String TTL = "ttl";
    /**
     * The sort key of a user's summary row in {@code exposures}, holding {@link #LATEST} (no {@code exposed_at}, so
     * it stays out of the index). Attribution reads it with one BatchGetItem per 100 users and queries the window
     * only for users shown something recently: most interactions come from no recommendation at all. Cannot clash
     * with a recommendation id, which starts with a letter or digit.
     */
    public static final String LATEST_EXPOSURE = "~latest";
    public static final String LATEST = "latest_exposed_at";

    public static final String ARM = "arm";
    public static final String EXPERIMENT = "experiment";
    public static final String RESULT = "result";
    public static final String COMPUTED_AT = "computed_at";

    private static final char SEPARATOR = '|';

    private ExperimentKeys() {}

    /** Sort key of an {@code experiment_users} row. Ids cannot contain '|' (see EventLimits), routes do not. */
    public static String userArm(String experiment, String route, String variant) {
        return experiment + SEPARATOR + route + SEPARATOR + variant;
    }

    /** Sort key of an {@code experiments} row (the experiment is the partition key). */
    public static String resultArm(String route, String variant) {
        return route + SEPARATOR + variant;
    }

    /** {experiment, route, variant} of a {@link #userArm} key. */
    public static String[] parseUserArm(String arm) {
        int a = arm.indexOf(SEPARATOR);
        int b = arm.lastIndexOf(SEPARATOR);
        if (a <= 0 || b <= a) throw new IllegalArgumentException("not an experiment arm key: " + arm);
        return new String[] {arm.substring(0, a), arm.substring(a + 1, b), arm.substring(b + 1)};
    }
}
