package dev.recsys.common.keys;

import dev.recsys.common.contract.Contract;

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
 *
 * The contract names the keys per table; Java names the user, the arm and the TTL of {@code experiment_users}
 * with the constants of the other two tables, so loading this class fails if the contract lets them differ.
 */
public final class ExperimentKeys {

    private static final Contract.Tables TABLES = Contract.get().tables();

    public static final String USER_ID = same("user key", TABLES.exposures().hashKey(), TABLES.experimentUsers().hashKey());
    public static final String RECOMMENDATION_ID = TABLES.exposures().rangeKey();
    public static final String EXPOSED_AT = TABLES.exposures().exposedAt();
    public static final String EXPOSURE_TIME_INDEX = TABLES.exposures().timeIndex();
    public static final String TTL = same("ttl", TABLES.exposures().ttl(), TABLES.experimentUsers().ttl());
    /**
     * The sort key of a user's summary row in {@code exposures}, holding {@link #LATEST} (no {@code exposed_at}, so
     * it stays out of the index). Attribution reads it with one BatchGetItem per 100 users and queries the window
     * only for users shown something recently: most interactions come from no recommendation at all. Cannot clash
     * with a recommendation id, which starts with a letter or digit.
     */
    public static final String LATEST_EXPOSURE = "~latest";
    public static final String LATEST = "latest_exposed_at";

    public static final String ARM = same("arm key", TABLES.experiments().rangeKey(), TABLES.experimentUsers().rangeKey());
    /** The partition key of {@code experiments}, and the same attribute on exposure and experiment_users rows. */
    public static final String EXPERIMENT = TABLES.experiments().hashKey();
    public static final String RESULT = "result";
    public static final String COMPUTED_AT = "computed_at";

    private static final char SEPARATOR = '|';

    private ExperimentKeys() {}

    private static String same(String what, String name, String experimentUsersName) {
        if (!name.equals(experimentUsersName)) {
            throw new IllegalStateException("contract: experiment_users' " + what + " '" + experimentUsersName
                    + "' differs from '" + name + "', which the Java code uses for both tables");
        }
        return name;
    }

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
