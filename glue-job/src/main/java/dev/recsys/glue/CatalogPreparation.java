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
import dev.recsys.common.event.EventFields;
import dev.recsys.common.event.EventParser;
import dev.recsys.common.event.ParseResult;
import dev.recsys.common.event.RecordOrigin;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PreparationManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * The catalog as Personalize's Items dataset: every item record the consumer archived under {@code raw/items/} (all
 * of them: the catalog is a state, not a window) and every bulk file under {@code catalog/} (JSON Lines in the
 * stream's item-record shape, or CSV with the record's field names as header), each checked by the same
 * {@link EventParser} the consumer uses. Per item the record with the greatest {@link CatalogItem#revision()} wins,
 * as in the items table, so the dataset and the table agree whatever order records arrived or were replayed in; a
 * deleted item is left out. In bulk files {@code record_type} and {@code operation} may be omitted (an item upsert)
 * and so may {@code updated_at}: then the file's modification time orders it against the stream's records.
 * Writes {@code prepared/<run-id>/items/*.csv} ({@link ItemsDataset#COLUMNS}, header) when any item is live.
 */
public final class CatalogPreparation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "file";
    private static final String REASON = "reason";
    private static final String REVISION = "revision";
    private static final String DELETED = "deleted";
    /** What one input line becomes: a rejection reason, or the item's id, revision, tombstone flag and CSV row. */
    private static final StructType PARSED;

    static {
        StructType s = new StructType().add(REASON, DataTypes.StringType).add(REVISION, DataTypes.StringType)
                .add(DELETED, DataTypes.BooleanType);
        for (String c : ItemsDataset.COLUMNS) s = s.add(c, DataTypes.StringType);
        PARSED = s;
    }

    private final SparkSession spark;

    public CatalogPreparation(SparkSession spark) {
        this.spark = spark;
    }

    public PreparationManifest.Catalog run(PrepareConfig config) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Map<String, Long> jsonFiles = new HashMap<>();
        Map<String, Long> csvFiles = new HashMap<>();
        list(config, hadoop, S3Layout.RAW_ITEMS_PREFIX, jsonFiles, csvFiles);
        list(config, hadoop, S3Layout.CATALOG_IMPORT_PREFIX, jsonFiles, csvFiles);
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
        Dataset<Row> parsed = all.mapPartitions(parser(byFile, csvFiles.keySet().stream()
                        .map(p -> new Path(p).toUri().getPath()).toList()), Encoders.row(PARSED))
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
                    .dropDuplicates(ItemsDataset.ITEM_ID, REVISION) // the same record replayed or sent twice
                    .withColumn("rn", row_number().over(Window.partitionBy(ItemsDataset.ITEM_ID).orderBy(desc(REVISION))))
                    .filter(col("rn").equalTo(1)).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Row totals = latest.agg(count(lit(1)), sum(when(col(DELETED), 1).otherwise(0)),
                        sum(when(col(DELETED).equalTo(false).and(col(ItemsDataset.AVAILABLE).equalTo("false")), 1).otherwise(0)))
                        .first();
                long items = totals.getLong(0);
                long deleted = totals.isNullAt(1) ? 0 : totals.getLong(1);
                long unavailable = totals.isNullAt(2) ? 0 : totals.getLong(2);
                long live = items - deleted;
                String prefix = null;
                if (live > 0) {
                    prefix = config.preparedPrefix() + "items/";
                    latest.filter(col(DELETED).equalTo(false))
                            .select(ItemsDataset.COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new))
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
    private static MapPartitionsFunction<Row, Row> parser(Map<String, Long> modified, List<String> csvFiles) {
        return rows -> {
            EventParser parser = new EventParser();
            List<Row> out = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                String line = r.getString(0);
                if (line == null || line.isBlank()) continue;
                String file = new Path(r.getString(1)).toUri().getPath();
                out.add(parse(parser, line, modified.getOrDefault(file, 0L), csvFiles.contains(file)));
            }
            return out.iterator();
        };
    }

    static Row parse(EventParser parser, String line, long fileModifiedMillis, boolean fromCsv) {
        byte[] record;
        try {
            record = bulkDefaults(line, fileModifiedMillis, fromCsv);
        } catch (IOException e) {
            record = line.getBytes(StandardCharsets.UTF_8); // the parser names what is wrong with it
        }
        // Item records need no origin (no derived ids, no arrival-time defaults); the file stands in for one.
        ParseResult result = parser.parse(record, new RecordOrigin("catalog", "0", 0, fileModifiedMillis));
        if (result instanceof ParseResult.AcceptedItem accepted) {
            CatalogItem item = accepted.item();
            Object[] values = new Object[3 + ItemsDataset.COLUMNS.size()];
            values[1] = item.revision();
            values[2] = item.isDelete();
            if (item.isDelete()) {
                values[3] = item.itemId();
            } else {
                List<String> row = ItemsDataset.row(item);
                for (int i = 0; i < row.size(); i++) values[3 + i] = row.get(i);
            }
            return RowFactory.create(values);
        }
        Object[] values = new Object[3 + ItemsDataset.COLUMNS.size()];
        values[0] = result instanceof ParseResult.Rejected rejected ? rejected.reason().name().toLowerCase(java.util.Locale.ROOT)
                : "not_an_item_record";
        return RowFactory.create(values);
    }

    /**
     * A bulk line may leave out what the stream requires: record_type and operation (an upsert), updated_at (the
     * file's modification time). A CSV row's values are strings: genres are {@code |}-separated, numbers and the
     * flag are converted, empty cells are absent.
     */
    private static byte[] bulkDefaults(String line, long fileModifiedMillis, boolean fromCsv) throws IOException {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) return line.getBytes(StandardCharsets.UTF_8);
        ObjectNode obj = (ObjectNode) node;
        if (fromCsv) csvTypes(obj);
        if (!obj.has(EventFields.RECORD_TYPE)) obj.put(EventFields.RECORD_TYPE, CatalogFields.RECORD_TYPE_ITEM);
        if (!obj.has(CatalogFields.OPERATION)) obj.put(CatalogFields.OPERATION, CatalogItem.Operation.UPSERT.wire());
        if (!obj.has(CatalogFields.UPDATED_AT)) obj.put(CatalogFields.UPDATED_AT, fileModifiedMillis);
        return JSON.writeValueAsBytes(obj);
    }

    private static void csvTypes(ObjectNode obj) {
        List<String> names = new ArrayList<>();
        obj.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = obj.get(name);
            if (v == null || v.isNull() || v.asText().isEmpty()) {
                obj.remove(name);
                continue;
            }
            String text = v.asText();
            switch (name) {
                case CatalogFields.GENRES -> {
                    var genres = obj.putArray(name);
                    for (String g : text.split("\\" + ItemsDataset.MULTI_VALUE_SEPARATOR, -1)) genres.add(g);
                }
                case CatalogFields.PRICE -> obj.set(name, number(text));
                case CatalogFields.UPDATED_AT, CatalogFields.CREATION_TIMESTAMP -> obj.set(name, number(text));
                case CatalogFields.AVAILABLE -> obj.set(name, "true".equals(text) ? JSON.getNodeFactory().booleanNode(true)
                        : "false".equals(text) ? JSON.getNodeFactory().booleanNode(false) : v);
                default -> { }
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
