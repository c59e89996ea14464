package dev.recsys.glue;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.catalog.CatalogFields;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.event.EventFields;
import dev.recsys.common.event.EventParser;
import dev.recsys.common.event.ParseResult;
import dev.recsys.common.event.RecordOrigin;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.pipeline.PreparationManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A catalog as a Personalize dataset, Items or Users ({@link CatalogKind}): every record of that kind the consumer
 * archived under the raw prefix ({@code raw/items/}, {@code raw/users/}; all of them: a catalog is a state, not a
 * window) and every bulk file under the import prefix ({@code catalog/}, {@code users/}; JSON Lines in the stream's
 * record shape, or CSV with the record's field names as header), each checked by the same {@link EventParser} the
 * consumer uses. Per entity the record with the greatest revision ({@link CatalogItem#revision()},
 * {@link CatalogUser#revision()}) wins, as in the items and users tables, so the dataset and the table agree whatever
 * order records arrived or were replayed in; a deleted entity is left out. In bulk files {@code record_type} and
 * {@code operation} may be omitted (an upsert) and so may {@code updated_at}: then the file's modification time orders
 * it against the stream's records. Writes {@code prepared/<run-id>/<items|users>/*.csv} (the kind's columns, header)
 * when any entity is live.
 */
public final class CatalogPreparation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "file";
    private static final String REASON = "reason";
    private static final String REVISION = "revision";
    private static final String DELETED = "deleted";
    private static final String UNAVAILABLE = "unavailable";
    /** Columns of {@link #parsedSchema} before the dataset's own. */
    private static final int FLAGS = 4;

    private final SparkSession spark;
    private final CatalogKind kind;
    /** What one input line becomes: a rejection reason, or the entity's revision, flags and CSV row (a tombstone: its id). */
    private final StructType parsedSchema;

    public CatalogPreparation(SparkSession spark, CatalogKind kind) {
        this.spark = spark;
        this.kind = kind;
        StructType s = new StructType().add(REASON, DataTypes.StringType).add(REVISION, DataTypes.StringType)
                .add(DELETED, DataTypes.BooleanType).add(UNAVAILABLE, DataTypes.BooleanType);
        for (String c : kind.columns()) s = s.add(c, DataTypes.StringType);
        this.parsedSchema = s;
    }

    public PreparationManifest.Catalog run(PrepareConfig config) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Map<String, Long> jsonFiles = new HashMap<>();
        Map<String, Long> csvFiles = new HashMap<>();
        list(config, hadoop, kind.rawPrefix(), jsonFiles, csvFiles);
        list(config, hadoop, kind.importPrefix(), jsonFiles, csvFiles);
        if (jsonFiles.isEmpty() && csvFiles.isEmpty()) {
            return new PreparationManifest.Catalog(0, 0, new TreeMap<>(), 0, 0, 0, 0, null);
        }
        Map<String, Long> modified = new HashMap<>(jsonFiles);
        modified.putAll(csvFiles);

        List<Dataset<Row>> lines = new ArrayList<>();
        if (!jsonFiles.isEmpty()) {
            lines.add(spark.read().textFile(jsonFiles.keySet().toArray(String[]::new)).toDF("line")
                    .withColumn(FILE, input_file_name()));
        }
        if (!csvFiles.isEmpty()) {
            Dataset<Row> csv = spark.read().option("header", "true").option("mode", "PERMISSIVE")
                    .csv(csvFiles.keySet().toArray(String[]::new));
            // One JSON record per row, so CSV and JSON go through the same checks.
            List<Column> fields = new ArrayList<>();
            for (String name : csv.columns()) fields.add(col("`" + name + "`"));
            lines.add(csv.select(org.apache.spark.sql.functions.to_json(org.apache.spark.sql.functions.struct(
                    fields.toArray(Column[]::new))).as("line")).withColumn(FILE, input_file_name()));
        }
        Dataset<Row> all = lines.get(0);
        for (int i = 1; i < lines.size(); i++) all = all.unionByName(lines.get(i));

        Map<String, Long> byFile = new HashMap<>();
        modified.forEach((path, time) -> byFile.put(new Path(path).toUri().getPath(), time));
        Dataset<Row> parsed = all.mapPartitions(parser(kind, byFile, csvFiles.keySet().stream()
                        .map(p -> new Path(p).toUri().getPath()).toList()), Encoders.row(parsedSchema))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            TreeMap<String, Long> dropped = new TreeMap<>();
            long read = 0;
            for (Row r : parsed.groupBy(col(REASON)).count().collectAsList()) {
                read += r.getLong(1);
                if (!r.isNullAt(0)) dropped.put(r.getString(0), r.getLong(1));
            }
            long accepted = read - dropped.values().stream().mapToLong(Long::longValue).sum();
            Dataset<Row> latest = parsed.filter(col(REASON).isNull())
                    .dropDuplicates(kind.idColumn(), REVISION) // the same record replayed or sent twice
                    .withColumn("rn", row_number().over(Window.partitionBy(kind.idColumn()).orderBy(desc(REVISION))))
                    .filter(col("rn").equalTo(1)).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Row totals = latest.agg(count(lit(1)), sum(when(col(DELETED), 1).otherwise(0)), sum(when(col(UNAVAILABLE), 1).otherwise(0)))
                        .first();
                long entities = totals.getLong(0);
                long deleted = totals.isNullAt(1) ? 0 : totals.getLong(1);
                long unavailable = totals.isNullAt(2) ? 0 : totals.getLong(2);
                long live = entities - deleted;
                String prefix = null;
                if (live > 0) {
                    prefix = config.preparedPrefix() + kind.dataset() + "/";
                    latest.filter(col(DELETED).equalTo(false))
                            .select(kind.columns().stream().map(c -> col(c)).toArray(Column[]::new))
                            .coalesce(config.outputFiles()).write().mode(SaveMode.Overwrite).option("header", "true")
                            // Empty optionals stay empty fields (Personalize reads them as null), not "".
                            .option("emptyValue", "").option("nullValue", "")
                            .csv(config.bucketRoot() + "/" + prefix);
                }
                return new PreparationManifest.Catalog(jsonFiles.size() + csvFiles.size(), read, dropped, accepted, live, deleted,
                        unavailable, prefix);
            } finally {
                latest.unpersist();
            }
        } finally {
            parsed.unpersist();
        }
    }

    /** Each line through the consumer's parser; blank lines are skipped (a trailing newline is not a record). */
    private static MapPartitionsFunction<Row, Row> parser(CatalogKind kind, Map<String, Long> modified, List<String> csvFiles) {
        return rows -> {
            EventParser parser = new EventParser();
            List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                String line = r.getString(0);
                if (line == null || line.isBlank()) continue;
                String file = new Path(r.getString(1)).toUri().getPath();
                out.add(parse(kind, parser, line, modified.getOrDefault(file, 0L), csvFiles.contains(file)));
            }
            return out.iterator();
        };
    }

    private static Row parse(CatalogKind kind, EventParser parser, String line, long fileModifiedMillis, boolean fromCsv) {
        byte[] record;
        try {
            record = bulkDefaults(kind, line, fileModifiedMillis, fromCsv);
        } catch (IOException e) {
            record = line.getBytes(StandardCharsets.UTF_8); // the parser names what is wrong with it
        }
        // Catalog records need no origin (no derived ids, no arrival-time defaults); the file stands in for one.
        ParseResult result = parser.parse(record, new RecordOrigin(kind.dataset(), "0", 0, fileModifiedMillis));
        Object[] values = new Object[FLAGS + kind.columns().size()];
        CatalogKind.Entity entity = kind.entity(result);
        if (entity == null) {
            values[0] = result instanceof ParseResult.Rejected rejected ? rejected.reason().name().toLowerCase(Locale.ROOT)
                    : kind.wrongRecordReason();
            return RowFactory.create(values);
        }
        values[1] = entity.revision();
        values[2] = entity.deleted();
        values[3] = entity.unavailable();
        if (entity.deleted()) {
            values[FLAGS + kind.columns().indexOf(kind.idColumn())] = entity.id(); // enough to win over older upserts
        } else {
            for (int i = 0; i < entity.row().size(); i++) values[FLAGS + i] = entity.row().get(i);
        }
        return RowFactory.create(values);
    }

    /**
     * A bulk line may leave out what the stream requires: record_type (the kind's) and operation (an upsert),
     * updated_at (the file's modification time). A CSV row's values are strings: multi-value cells are
     * {@code |}-separated, numbers and flags are converted ({@link CatalogKind#csvType}), empty cells are absent.
     */
    private static byte[] bulkDefaults(CatalogKind kind, String line, long fileModifiedMillis, boolean fromCsv) throws IOException {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) return line.getBytes(StandardCharsets.UTF_8);
        ObjectNode obj = (ObjectNode) node;
        if (fromCsv) csvTypes(kind, obj);
        if (!obj.has(EventFields.RECORD_TYPE)) obj.put(EventFields.RECORD_TYPE, kind.recordType());
        if (!obj.has(CatalogFields.OPERATION)) obj.put(CatalogFields.OPERATION, CatalogItem.Operation.UPSERT.wire());
        if (!obj.has(CatalogFields.UPDATED_AT)) obj.put(CatalogFields.UPDATED_AT, fileModifiedMillis);
        return JSON.writeValueAsBytes(obj);
    }

    private static void csvTypes(CatalogKind kind, ObjectNode obj) {
        List<String> names = new ArrayList<>();
        obj.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = obj.get(name);
            if (v == null || v.isNull() || v.asText().isEmpty()) {
                obj.remove(name);
                continue;
            }
            CatalogKind.CsvType type = kind.csvType(name);
            if (type == null) continue;
            String text = v.asText();
            switch (type) {
                case MULTI_VALUE -> {
                    var values = obj.putArray(name);
                    for (String value : text.split("\\" + ItemsDataset.MULTI_VALUE_SEPARATOR, -1)) values.add(value);
                }
                case NUMBER -> obj.set(name, number(text));
                case FLAG -> obj.set(name, "true".equals(text) ? JSON.getNodeFactory().booleanNode(true)
                        : "false".equals(text) ? JSON.getNodeFactory().booleanNode(false) : v);
            }
        }
    }

    /** A number where the text is one; else the text, which the parser then rejects with the field's name. */
    private static JsonNode number(String text) {
        try {
            return JSON.readTree(text).isNumber() ? JSON.readTree(text) : JSON.getNodeFactory().textNode(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    /** Every object under the prefix, by format: {@code .csv} as CSV, the rest as JSON Lines (gzip by extension). */
    private static void list(PrepareConfig config, Configuration hadoop, String prefix, Map<String, Long> json, Map<String, Long> csv) {
        Path root = new Path(config.bucketRoot() + "/" + prefix);
        try {
            FileSystem fs = FileSystem.get(URI.create(config.bucketRoot() + "/"), hadoop);
            if (!fs.exists(root)) return;
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
            while (files.hasNext()) {
                LocatedFileStatus f = files.next();
                String name = f.getPath().getName();
                if (name.startsWith(".") || name.startsWith("_") || f.getLen() == 0) continue;
                (name.endsWith(".csv") || name.endsWith(".csv.gz") ? csv : json).put(f.getPath().toString(), f.getModificationTime());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
    }
}
