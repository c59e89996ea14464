package dev.recsys.common.event;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Bounds every accepted event stays within. Ids are kept to a conservative character set so they
 * are safe in DynamoDB sort keys ({@code #} is our separator), S3 keys, CSV and Redis keys, and
 * short enough for Personalize (USER_ID / ITEM_ID ≤ 256).
 *
 * @param maxFutureSkew how far ahead of now an event time may be (producer clock skew)
 * @param maxAge        how far back an event time may be (older data is a backfill, not a stream)
 */
public record EventLimits(int maxRecordBytes, Duration maxFutureSkew, Duration maxAge) {

    public static final int MAX_ID_LENGTH = 128;
    /** Exposures list what was shown (up to 500 ranked ids), so they may be larger than an interaction. */
    public static final int MAX_EXPOSURE_BYTES = 96 * 1024;
    public static final int MAX_EVENT_TYPE_LENGTH = 64;
    public static final int MAX_SESSION_ID_LENGTH = 256;
    public static final int MAX_PROPERTIES = 32;
    public static final int MAX_PROPERTY_KEY_LENGTH = 64;
    public static final int MAX_PROPERTY_VALUE_LENGTH = 512;
    public static final double MAX_ABS_EVENT_VALUE = 1e12;
    /** Event times before 2001-09-09 are almost always epoch seconds sent as milliseconds. */
    public static final long MIN_PLAUSIBLE_MILLIS = 1_000_000_000_000L;

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@/+=-]{0," + (MAX_ID_LENGTH - 1) + "}");
    public static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0," + (MAX_EVENT_TYPE_LENGTH - 1) + "}");
    public static final Pattern PROPERTY_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0," + (MAX_PROPERTY_KEY_LENGTH - 1) + "}");

    public static final EventLimits DEFAULT = new EventLimits(16 * 1024, Duration.ofMinutes(5), Duration.ofDays(365));

    public EventLimits {
        if (maxRecordBytes <= 0 || maxRecordBytes > 1024 * 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be in 1..1048576 (Kinesis record limit)");
        }
        if (maxFutureSkew.isNegative() || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxFutureSkew must be >= 0 and maxAge > 0");
        }
    }

    public static boolean isValidId(String s) {
        return s != null && s.length() <= MAX_ID_LENGTH && ID.matcher(s).matches();
    }
}
