package dev.recsys.common.keys;

import dev.recsys.common.contract.Contract;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Prefixes of the single data bucket. Raw and dead-letter objects are named after the shard and
 * the first sequence number of the flush that wrote them, so a flush replayed after a crash
 * overwrites its own object instead of adding a duplicate.
 */
public final class S3Layout {

    private static final Contract.S3 S3 = Contract.get().s3();

    public static final String RAW_PREFIX = S3.rawInteractionsPrefix();
    /** Exposures beside the interactions: the Glue job joins them into Personalize impressions. */
    public static final String RAW_EXPOSURES_PREFIX = S3.rawExposuresPrefix();
    /** Catalog records (upserts and deletes) as they arrived; the Items dataset is each item's greatest revision. */
    public static final String RAW_ITEMS_PREFIX = S3.rawItemsPrefix();
    /** Bulk catalog files (JSON Lines or CSV) teams drop for the pipeline's Items dataset, beside the stream's records. */
    public static final String CATALOG_IMPORT_PREFIX = S3.catalogImportPrefix();
    /** User records as they arrived; the Users dataset is each user's greatest revision. */
    public static final String RAW_USERS_PREFIX = S3.rawUsersPrefix();
    /** Bulk user files (JSON Lines or CSV) teams drop for the pipeline's Users dataset, beside the stream's records. */
    public static final String USERS_IMPORT_PREFIX = S3.usersImportPrefix();
    public static final String DEAD_LETTER_PREFIX = S3.deadLetterPrefix();
    public static final String PREPARED_PREFIX = S3.preparedPrefix();
    public static final String MODELS_PREFIX = S3.modelsPrefix();
    public static final String CONFIG_PREFIX = S3.configPrefix();
    /** The A/B split the API serves, written by the pipeline's decision step (absent: the deployed split). */
    public static final String EXPERIMENT_CONFIG_KEY = S3.experimentSplitKey();
    /** The fallback list the pipeline publishes and the API serves when the model cannot answer. */
    public static final String POPULAR_ITEMS_KEY = S3.popularItemsKey();

    private S3Layout() {}

    /** Everything one run of the data preparation writes, {@code prepared/<runId>/}. */
    public static String preparedRunPrefix(String runId) {
        return PREPARED_PREFIX + runId + "/";
    }

    /** What that run read, dropped and wrote (see {@code PreparationManifest}). */
    public static String preparedManifestKey(String runId) {
        return preparedRunPrefix(runId) + S3.preparedManifestName();
    }

    /** {@code dt=YYYY-MM-DD/hr=HH/} of an epoch-ms instant, in UTC. */
    public static String hourPartition(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        return String.format("dt=%04d-%02d-%02d/hr=%02d/", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
    }

    public static String rawObjectKey(long eventHourMillis, String shardId, String firstSequenceNumber, long firstSubSequence) {
        return RAW_PREFIX + hourPartition(eventHourMillis) + objectName(shardId, firstSequenceNumber, firstSubSequence);
    }

    public static String rawExposureObjectKey(long exposureHourMillis, String shardId, String firstSequenceNumber, long firstSubSequence) {
        return RAW_EXPOSURES_PREFIX + hourPartition(exposureHourMillis) + objectName(shardId, firstSequenceNumber, firstSubSequence);
    }

    /** Item records by the hour of their update time, named like the interactions. */
    public static String rawItemObjectKey(long updatedHourMillis, String shardId, String firstSequenceNumber, long firstSubSequence) {
        return RAW_ITEMS_PREFIX + hourPartition(updatedHourMillis) + objectName(shardId, firstSequenceNumber, firstSubSequence);
    }

    /** User records by the hour of their update time, named like the interactions. */
    public static String rawUserObjectKey(long updatedHourMillis, String shardId, String firstSequenceNumber, long firstSubSequence) {
        return RAW_USERS_PREFIX + hourPartition(updatedHourMillis) + objectName(shardId, firstSequenceNumber, firstSubSequence);
    }

    public static String deadLetterObjectKey(long arrivalMillis, String shardId, String firstSequenceNumber, long firstSubSequence) {
        return DEAD_LETTER_PREFIX + hourPartition(arrivalMillis) + objectName(shardId, firstSequenceNumber, firstSubSequence);
    }

    private static String objectName(String shardId, String sequenceNumber, long subSequence) {
        return shardId + "-" + sequenceNumber + "-" + subSequence + ".jsonl.gz";
    }
}
