package dev.recsys.glue;

import dev.recsys.common.event.Exposure;
import dev.recsys.common.keys.S3Layout;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one preparation run reads and writes.
 *
 * @param bucketRoot       root of the data bucket layout, e.g. {@code s3://bucket} on Glue,
 *                         {@code s3a://bucket} or {@code file:/dir} locally
 * @param runId            names the output prefix {@code prepared/<runId>/} (the Step Functions execution name)
 * @param windowStart      first event time included (inclusive)
 * @param windowEnd        event times before this are included (exclusive)
 * @param exposureMargin   exposures are read from this long before the window: an answer shown before the
 *                         window can lead to an interaction inside it
 * @param includeEventValue write the EVENT_VALUE column; must match the dataset schema, so it is configuration
 * @param minInteractions  Personalize's floor for training (1,000)
 * @param minUsers         Personalize's floor for training (25)
 * @param outputFiles      CSV part files to write (Personalize imports every CSV under the prefix)
 * @param popularItems     length of the popularity list written into the manifest for the API fallback
 * @param s3Endpoint       S3A endpoint override for local runs (S3Proxy), {@code null} on AWS
 */
public record PrepareConfig(String bucketRoot, String runId, Instant windowStart, Instant windowEnd,
                            Duration exposureMargin, boolean includeEventValue, int minInteractions, int minUsers, int outputFiles,
                            int popularItems, String s3Endpoint) {

    /** Personalize's documented minimum for a training dataset. */
    public static final int PERSONALIZE_MIN_INTERACTIONS = 1_000;
    public static final int PERSONALIZE_MIN_USERS = 25;
    public static final int DEFAULT_WINDOW_HOURS = 24 * 30;

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,79}");

    public PrepareConfig {
        Objects.requireNonNull(bucketRoot, "bucketRoot");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        if (exposureMargin == null || exposureMargin.isNegative()) {
            throw new IllegalArgumentException("exposure margin must be >= 0, got " + exposureMargin);
        }
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id must match " + RUN_ID + ", got '" + runId + "'");
        }
        if (!windowStart.isBefore(windowEnd)) {
            throw new IllegalArgumentException("window start " + windowStart + " must be before its end " + windowEnd);
        }
        if (minInteractions < 1 || minUsers < 1 || outputFiles < 1 || popularItems < 1) {
            throw new IllegalArgumentException("minInteractions, minUsers, outputFiles and popularItems must be >= 1");
        }
        bucketRoot = bucketRoot.endsWith("/") ? bucketRoot.substring(0, bucketRoot.length() - 1) : bucketRoot;
    }

    /**
     * From Glue job arguments: {@code --bucket-root}, {@code --run-id}, optional {@code --window-end}
     * (ISO instant; default: the end of the current hour), {@code --window-hours} (default 720),
     * {@code --exposure-margin-minutes} (default: the attribution window, 30), {@code --event-value}, {@code --min-interactions}, {@code --min-users}, {@code --output-files},
     * {@code --popular-items}, {@code --s3-endpoint}.
     */
    public static PrepareConfig fromArguments(JobArguments args, Instant now) {
        Instant end = args.get("window-end").map(PrepareConfig::parseInstant)
                .orElseGet(() -> now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)));
        int hours = args.intValue("window-hours", DEFAULT_WINDOW_HOURS);
        if (hours < 1) throw new IllegalArgumentException("--window-hours must be >= 1, got " + hours);
        int margin = args.intValue("exposure-margin-minutes", (int) Exposure.DEFAULT_ATTRIBUTION_WINDOW.toMinutes());
        if (margin < 0) throw new IllegalArgumentException("--exposure-margin-minutes must be >= 0, got " + margin);
        return new PrepareConfig(
                args.required("bucket-root"),
                args.required("run-id"),
                end.minus(Duration.ofHours(hours)),
                end,
                Duration.ofMinutes(margin),
                args.flag("event-value", true),
                args.intValue("min-interactions", PERSONALIZE_MIN_INTERACTIONS),
                args.intValue("min-users", PERSONALIZE_MIN_USERS),
                args.intValue("output-files", 1),
                args.intValue("popular-items", 100),
                args.get("s3-endpoint").orElse(null));
    }

    public String preparedPrefix() {
        return S3Layout.preparedRunPrefix(runId);
    }

    private static Instant parseInstant(String s) {
        try {
            return Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--window-end must be an ISO-8601 instant like 2026-01-31T00:00:00Z, got '" + s + "'");
        }
    }
}
