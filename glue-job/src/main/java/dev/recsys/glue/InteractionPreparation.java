package dev.recsys.glue;

import static dev.recsys.common.event.EventFields.EVENT_ID;
import static dev.recsys.common.event.EventFields.EVENT_TYPE;
import static dev.recsys.common.event.EventFields.EVENT_VALUE;
import static dev.recsys.common.event.EventFields.ITEMS;
import static dev.recsys.common.event.EventFields.ITEM_ID;
import static dev.recsys.common.event.EventFields.MODEL_RECOMMENDATION_ID;
import static dev.recsys.common.event.EventFields.RECOMMENDATION_ID;
import static dev.recsys.common.event.EventFields.TIMESTAMP;
import static dev.recsys.common.event.EventFields.USER_ID;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PreparationManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Raw JSON Lines events of a time window → Personalize interactions CSV + manifest. An interaction whose
 * {@code recommendation_id} names an exposure of its user gets that answer's items as IMPRESSION and
 * Personalize's id of it as RECOMMENDATION_ID. Plain Spark SQL, no Glue APIs, so the same code runs on
 * Glue 5.0 and in Spark local mode.
 */
public final class InteractionPreparation {

    /** Personalize's length limit for USER_ID, ITEM_ID and EVENT_TYPE. */
    static final int MAX_FIELD_LENGTH = 256;
    private static final String CORRUPT = "_corrupt_record";
    private static final String REASON = "drop_reason";

    /** What the job needs of an interaction line, named as EventJson writes it (common's EventFields). */
    private static final StructType RAW_SCHEMA = new StructType()
            .add(EVENT_ID, DataTypes.StringType)
            .add(USER_ID, DataTypes.StringType)
            .add(ITEM_ID, DataTypes.StringType)
            .add(EVENT_TYPE, DataTypes.StringType)
            .add(EVENT_VALUE, DataTypes.DoubleType)
            .add(TIMESTAMP, DataTypes.LongType)
            .add(RECOMMENDATION_ID, DataTypes.StringType)
            .add(CORRUPT, DataTypes.StringType);

    /** What the join needs of an exposure line (EventJson's form); malformed lines read as nulls and are skipped. */
    private static final StructType EXPOSURE_SCHEMA = new StructType()
            .add(RECOMMENDATION_ID, DataTypes.StringType)
            .add(TIMESTAMP, DataTypes.LongType)
            .add(USER_ID, DataTypes.StringType)
            .add(MODEL_RECOMMENDATION_ID, DataTypes.StringType)
            .add(ITEMS, DataTypes.createArrayType(DataTypes.StringType));

    private static final UserDefinedFunction IMPRESSION_OF = udf((UDF1<scala.collection.Seq<String>, String>) items -> {
        List<String> ids = new ArrayList<>(items.size());
        scala.collection.Iterator<String> it = items.iterator();
        while (it.hasNext()) {
            String id = it.next();
            if (id != null) ids.add(id);
        }
        return InteractionsDataset.impression(ids);
    }, DataTypes.StringType);

    private final SparkSession spark;

    public InteractionPreparation(SparkSession spark) {
        this.spark = spark;
    }

    /**
     * Runs the preparation. Writes the manifest in every outcome it can judge; throws
     * {@link InsufficientDataException} (after writing the manifest) when the window is too small.
     */
    public PreparationManifest run(PrepareConfig config) {
        return run(config, null, null);
    }

    /** As {@link #run(PrepareConfig)}, the manifest carrying the item and user catalogs' parts (null: none). */
    public PreparationManifest run(PrepareConfig config, PreparationManifest.Catalog catalog, PreparationManifest.Catalog userCatalog) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> partitions = existingHourPartitions(config, hadoop, S3Layout.RAW_PREFIX, config.windowStart());
        if (partitions.isEmpty()) {
            return insufficient(config, catalog, userCatalog, hadoop, 0, 0, emptyCounts(),
                    "no raw partitions under " + S3Layout.RAW_PREFIX + " between " + config.windowStart() + " and "
                            + config.windowEnd() + ": nothing to train on");
        }

        Dataset<Row> raw = spark.read().schema(RAW_SCHEMA)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .json(partitions.toArray(String[]::new));
        Dataset<Row> classified = raw.withColumn(REASON, dropReason(config)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            TreeMap<String, Long> dropped = new TreeMap<>();
            long read = 0;
            for (Row r : classified.groupBy(col(REASON)).count().collectAsList()) {
                long n = r.getLong(1);
                read += n;
                if (!r.isNullAt(0)) dropped.put(r.getString(0), n);
            }
            long valid = read - dropped.values().stream().mapToLong(Long::longValue).sum();

            // Keep one row per event_id, deterministically (earliest event time, then the smallest ids).
            Dataset<Row> unique = classified.filter(col(REASON).isNull())
                    .withColumn("rn", row_number().over(Window.partitionBy(EVENT_ID)
                            .orderBy(asc(TIMESTAMP), asc(USER_ID), asc(ITEM_ID), asc(EVENT_TYPE))))
                    .filter(col("rn").equalTo(1));
            List<String> exposurePartitions = existingHourPartitions(config, hadoop, S3Layout.RAW_EXPOSURES_PREFIX,
                    config.windowStart().minus(config.exposureMargin()));
            Dataset<Row> deduped = withImpressions(unique, exposurePartitions, config)
                    .select(personalizeColumns(config.includeEventValue()))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Row totals = deduped.agg(count(lit(1)), countDistinct(col(InteractionsDataset.USER_ID)),
                        countDistinct(col(InteractionsDataset.ITEM_ID)), countDistinct(col(InteractionsDataset.EVENT_TYPE)),
                        count(col(InteractionsDataset.IMPRESSION))).first();
                Counts counts = new Counts(read, valid - totals.getLong(0), dropped, totals.getLong(0),
                        totals.getLong(1), totals.getLong(2), totals.getLong(3), totals.getLong(4));
                if (counts.written < config.minInteractions() || counts.users < config.minUsers()) {
                    return insufficient(config, catalog, userCatalog, hadoop, partitions.size(), exposurePartitions.size(), counts,
                            String.format(
                            "window %s..%s has %d usable interactions from %d users after dropping %d rows and %d duplicates;"
                                    + " training needs at least %d interactions from at least %d users",
                            config.windowStart(), config.windowEnd(), counts.written, counts.users,
                            counts.droppedTotal(), counts.duplicates, config.minInteractions(), config.minUsers()));
                }
                String csvDir = config.bucketRoot() + "/" + config.preparedPrefix() + "interactions/";
                deduped.coalesce(config.outputFiles()).write()
                        .mode(SaveMode.Overwrite) // a retried run replaces its own output
                        .option("header", "true")
                        .csv(csvDir);
                PreparationManifest manifest = manifest(config, catalog, userCatalog, PreparationManifest.SUCCEEDED, null, partitions.size(),
                        exposurePartitions.size(), counts, config.preparedPrefix() + "interactions/",
                        popular(deduped, config.popularItems()));
                writeManifest(config, hadoop, manifest);
                return manifest;
            } finally {
                deduped.unpersist();
            }
        } finally {
            classified.unpersist();
        }
    }

    /** First reason that applies, or null: the order puts the most basic defect first. */
    private static Column dropReason(PrepareConfig config) {
        long startMs = config.windowStart().toEpochMilli();
        long endMs = config.windowEnd().toEpochMilli();
        return when(col(CORRUPT).isNotNull(), lit("malformed_json"))
                .when(blank(EVENT_ID), lit("missing_event_id"))
                .when(blank(USER_ID).or(blank(ITEM_ID)).or(blank(EVENT_TYPE)).or(col(TIMESTAMP).isNull()),
                        lit("missing_required_field"))
                .when(length(col(USER_ID)).gt(MAX_FIELD_LENGTH).or(length(col(ITEM_ID)).gt(MAX_FIELD_LENGTH))
                        .or(length(col(EVENT_TYPE)).gt(MAX_FIELD_LENGTH)), lit("field_too_long"))
                .when(col(TIMESTAMP).leq(0), lit("invalid_timestamp"))
                .when(col(TIMESTAMP).lt(startMs).or(col(TIMESTAMP).geq(endMs)), lit("outside_window"))
                .when(col(EVENT_VALUE).isNotNull().and(isnan(col(EVENT_VALUE))
                        .or(abs(col(EVENT_VALUE)).equalTo(Double.POSITIVE_INFINITY))), lit("invalid_event_value"));
    }

    private static Column blank(String name) {
        return col(name).isNull().or(length(trim(col(name))).equalTo(0));
    }

    /**
     * Adds {@code impression} and {@code impression_recommendation_id} from the exposure each interaction's
     * recommendation_id names, when that exposure was shown to the same user; null otherwise.
     */
    private Dataset<Row> withImpressions(Dataset<Row> interactions, List<String> exposurePartitions, PrepareConfig config) {
        if (exposurePartitions.isEmpty()) {
            return interactions.withColumn("impression", lit(null).cast(DataTypes.StringType))
                    .withColumn("impression_recommendation_id", lit(null).cast(DataTypes.StringType));
        }
        long fromMs = config.windowStart().minus(config.exposureMargin()).toEpochMilli();
        long endMs = config.windowEnd().toEpochMilli();
        // A replayed flush can land an exposure twice: keep one per recommendation_id.
        Dataset<Row> exposures = spark.read().schema(EXPOSURE_SCHEMA).option("mode", "PERMISSIVE")
                .json(exposurePartitions.toArray(String[]::new))
                .filter(col(RECOMMENDATION_ID).isNotNull().and(col(USER_ID).isNotNull()).and(col(ITEMS).isNotNull())
                        .and(col(TIMESTAMP).geq(fromMs)).and(col(TIMESTAMP).lt(endMs)))
                .withColumn("rn", row_number().over(Window.partitionBy(RECOMMENDATION_ID)
                        .orderBy(asc(TIMESTAMP), asc(USER_ID))))
                .filter(col("rn").equalTo(1))
                .select(col(RECOMMENDATION_ID).as("x_recommendation_id"), col(USER_ID).as("x_user_id"),
                        IMPRESSION_OF.apply(col(ITEMS)).as("impression"),
                        col(MODEL_RECOMMENDATION_ID).as("impression_recommendation_id"));
        return interactions.join(exposures, col(RECOMMENDATION_ID).equalTo(col("x_recommendation_id"))
                .and(col(USER_ID).equalTo(col("x_user_id"))), "left_outer");
    }

    private static Column[] personalizeColumns(boolean includeEventValue) {
        List<Column> cols = new ArrayList<>(List.of(col(USER_ID).as(InteractionsDataset.USER_ID),
                col(ITEM_ID).as(InteractionsDataset.ITEM_ID), col(EVENT_TYPE).as(InteractionsDataset.EVENT_TYPE)));
        if (includeEventValue) cols.add(col(EVENT_VALUE).cast(DataTypes.FloatType).as(InteractionsDataset.EVENT_VALUE));
        // Personalize wants epoch seconds; the contract carries milliseconds.
        cols.add(floor(col(TIMESTAMP).divide(1000)).cast(DataTypes.LongType).as(InteractionsDataset.TIMESTAMP));
        // Personalize's id when a model answered; a fallback answer's items still count as an impression.
        cols.add(col("impression").as(InteractionsDataset.IMPRESSION));
        cols.add(col("impression_recommendation_id").as(InteractionsDataset.RECOMMENDATION_ID));
        return cols.toArray(Column[]::new);
    }

    private static List<PreparationManifest.PopularItem> popular(Dataset<Row> deduped, int limit) {
        List<PreparationManifest.PopularItem> items = new ArrayList<>();
        for (Row r : deduped.groupBy(col(InteractionsDataset.ITEM_ID)).count()
                .orderBy(desc("count"), asc(InteractionsDataset.ITEM_ID)).limit(limit).collectAsList()) {
            items.add(new PreparationManifest.PopularItem(r.getString(0), r.getLong(1)));
        }
        return items;
    }

    /**
     * Hour partitions under {@code prefix} from {@code from} to the window's end that exist; reading a
     * missing path would fail the job.
     */
    private static List<String> existingHourPartitions(PrepareConfig config, Configuration hadoop, String prefix, Instant from) {
        List<String> paths = new ArrayList<>();
        Instant hour = from.truncatedTo(ChronoUnit.HOURS);
        try {
            FileSystem fs = FileSystem.get(URI.create(config.bucketRoot() + "/"), hadoop);
            while (hour.isBefore(config.windowEnd())) {
                Path p = new Path(config.bucketRoot() + "/" + prefix + S3Layout.hourPartition(hour.toEpochMilli()));
                if (fs.exists(p)) paths.add(p.toString());
                hour = hour.plus(Duration.ofHours(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing partitions under " + config.bucketRoot() + "/" + prefix, e);
        }
        return paths;
    }

    private PreparationManifest insufficient(PrepareConfig config, PreparationManifest.Catalog catalog,
                                             PreparationManifest.Catalog userCatalog, Configuration hadoop, int partitions,
                                             int exposurePartitions, Counts counts, String message) {
        PreparationManifest manifest = manifest(config, catalog, userCatalog, PreparationManifest.INSUFFICIENT_DATA, message, partitions,
                exposurePartitions, counts, null, List.of());
        writeManifest(config, hadoop, manifest);
        throw new InsufficientDataException(message);
    }

    private static PreparationManifest manifest(PrepareConfig config, PreparationManifest.Catalog catalog,
                                                PreparationManifest.Catalog userCatalog, String status, String message, int partitions,
                                                int exposurePartitions, Counts c, String csvPrefix,
                                                List<PreparationManifest.PopularItem> popular) {
        return new PreparationManifest(config.runId(), status, message, config.windowStart().toString(),
                config.windowEnd().toString(), partitions, exposurePartitions, c.read, c.duplicates, c.dropped, c.written,
                c.users, c.items, c.eventTypes, c.withImpressions, InteractionsDataset.columns(config.includeEventValue()),
                csvPrefix, popular, catalog, userCatalog);
    }

    private static void writeManifest(PrepareConfig config, Configuration hadoop, PreparationManifest manifest) {
        Path path = new Path(config.bucketRoot() + "/" + S3Layout.preparedManifestKey(config.runId()));
        try (OutputStream out = path.getFileSystem(hadoop).create(path, true)) {
            out.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path, e);
        }
    }

    private static Counts emptyCounts() {
        return new Counts(0, 0, new TreeMap<>(), 0, 0, 0, 0, 0);
    }

    private record Counts(long read, long duplicates, TreeMap<String, Long> dropped, long written, long users,
                          long items, long eventTypes, long withImpressions) {
        long droppedTotal() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
