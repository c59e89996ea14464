package dev.recsys.common.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a run of the data preparation read, dropped and wrote: {@code prepared/<run-id>/manifest.json}
 * ({@code S3Layout.preparedManifestKey}). The Glue job writes it; the training Lambda reads it to start the
 * import (CSV prefix), to publish the popular-items fallback, and to report the numbers on SNS. Both sides use
 * this record, so writer and reader cannot drift apart.
 *
 * <p>Built on Jackson's tree model alone: the Glue job runs it with Spark 3.5's Jackson (2.15), the Lambda with
 * the parent's.
 *
 * @param status  {@link #SUCCEEDED} or {@link #INSUFFICIENT_DATA} (then nothing but the manifest is written)
 * @param message why the data was insufficient, else null
 * @param dropped per reason, rows Personalize would reject (never silently lost: they are counted here)
 * @param exposurePartitions hour partitions of exposures read (none is normal where nothing records them)
 * @param withImpressions    written interactions whose answer was found, so they carry IMPRESSION
 * @param csvPrefix          the key prefix of the CSV files, null unless {@link #SUCCEEDED}
 * @param catalog            what the catalog preparation read and wrote (the Items dataset); null when it did not run
 * @param userCatalog        the same for user records (the Users dataset); null when it did not run
 */
public record PreparationManifest(String runId, String status, String message, String windowStart, String windowEnd,
                                  int inputPartitions, int exposurePartitions, long read, long duplicates,
                                  SortedMap<String, Long> dropped, long written, long users, long items, long eventTypes,
                                  long withImpressions, List<String> columns, String csvPrefix,
                                  List<PopularItem> popularItems, Catalog catalog, Catalog userCatalog) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * An item and how many written interactions name it. A count, so a whole number: the fallback document turns it
     * into the API's (double) score when it is published.
     */
    public record PopularItem(String itemId, long score) {}

    /**
     * A catalog's side of a run (items or users): the dataset is every entity's latest record (stream and bulk
     * files), deleted ones left out.
     *
     * @param files       objects read under the raw prefix and the bulk prefix
     * @param read        records read (blank lines aside)
     * @param dropped     per reason, records the parser refused (counted, never silently lost)
     * @param accepted    valid records, replays and superseded versions included
     * @param live        live entities written (unavailable items included: filters exclude them)
     * @param deleted     entities whose latest record is a delete
     * @param unavailable live items marked unavailable (0 for users)
     * @param csvPrefix   the key prefix of the dataset's CSV; null when nothing is live (nothing to import)
     */
    public record Catalog(int files, long read, SortedMap<String, Long> dropped, long accepted, long live, long deleted,
                          long unavailable, String csvPrefix) {
        public Catalog {
            dropped = new TreeMap<>(dropped);
        }
    }

    /** A manifest without the catalog's part. */
    public PreparationManifest(String runId, String status, String message, String windowStart, String windowEnd,
                               int inputPartitions, int exposurePartitions, long read, long duplicates,
                               SortedMap<String, Long> dropped, long written, long users, long items, long eventTypes,
                               long withImpressions, List<String> columns, String csvPrefix, List<PopularItem> popularItems) {
        this(runId, status, message, windowStart, windowEnd, inputPartitions, exposurePartitions, read, duplicates, dropped,
                written, users, items, eventTypes, withImpressions, columns, csvPrefix, popularItems, null, null);
    }

    /** This manifest with the item catalog's part. */
    public PreparationManifest withCatalog(Catalog c) {
        return new PreparationManifest(runId, status, message, windowStart, windowEnd, inputPartitions, exposurePartitions, read,
                duplicates, dropped, written, users, items, eventTypes, withImpressions, columns, csvPrefix, popularItems, c, userCatalog);
    }

    /** This manifest with the user catalog's part. */
    public PreparationManifest withUserCatalog(Catalog u) {
        return new PreparationManifest(runId, status, message, windowStart, windowEnd, inputPartitions, exposurePartitions, read,
                duplicates, dropped, written, users, items, eventTypes, withImpressions, columns, csvPrefix, popularItems, catalog, u);
    }

    public PreparationManifest {
        dropped = new TreeMap<>(dropped);
        columns = List.copyOf(columns);
        popularItems = List.copyOf(popularItems);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("run_id", runId);
        root.put("status", status);
        if (message != null) root.put("message", message);
        root.put("window_start", windowStart);
        root.put("window_end", windowEnd);
        root.put("input_partitions", inputPartitions);
        root.put("exposure_partitions", exposurePartitions);
        ObjectNode counts = root.putObject("counts");
        counts.put("read", read);
        counts.put("duplicates", duplicates);
        ObjectNode d = counts.putObject("dropped");
        for (Map.Entry<String, Long> e : dropped.entrySet()) d.put(e.getKey(), e.getValue());
        counts.put("written", written);
        counts.put("users", users);
        counts.put("items", items);
        counts.put("event_types", eventTypes);
        counts.put("with_impressions", withImpressions);
        ArrayNode cols = root.putArray("columns");
        columns.forEach(cols::add);
        if (csvPrefix != null) root.put("csv_prefix", csvPrefix);
        ArrayNode popular = root.putArray("popular_items");
        for (PopularItem p : popularItems) popular.addObject().put("item_id", p.itemId()).put("score", p.score());
        if (catalog != null) write(root.putObject("catalog"), catalog);
        if (userCatalog != null) write(root.putObject("user_catalog"), userCatalog);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The inverse of {@link #toJson}; fields it does not know are ignored (a newer job may add some). */
    public static PreparationManifest parse(byte[] json) throws IOException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject()) throw new IOException("manifest: expected a JSON object");
        JsonNode counts = root.path("counts");
        SortedMap<String, Long> dropped = new TreeMap<>();
        counts.path("dropped").fields().forEachRemaining(e -> dropped.put(e.getKey(), e.getValue().asLong()));
        List<String> columns = new ArrayList<>();
        root.path("columns").forEach(c -> columns.add(c.asText()));
        List<PopularItem> popular = new ArrayList<>();
        for (JsonNode p : root.path("popular_items")) popular.add(new PopularItem(p.path("item_id").asText(), p.path("score").asLong()));

        return new PreparationManifest(text(root, "run_id"), text(root, "status"), text(root, "message"),
                text(root, "window_start"), text(root, "window_end"), root.path("input_partitions").asInt(),
                root.path("exposure_partitions").asInt(), counts.path("read").asLong(), counts.path("duplicates").asLong(),
                dropped, counts.path("written").asLong(), counts.path("users").asLong(), counts.path("items").asLong(),
                counts.path("event_types").asLong(), counts.path("with_impressions").asLong(), columns,
                text(root, "csv_prefix"), popular, catalog(root.get("catalog")), catalog(root.get("user_catalog")));
    }

    private static void write(ObjectNode c, Catalog catalog) {
        c.put("files", catalog.files());
        c.put("read", catalog.read());
        ObjectNode cd = c.putObject("dropped");
        catalog.dropped().forEach(cd::put);
        c.put("accepted", catalog.accepted());
        c.put("live", catalog.live());
        c.put("deleted", catalog.deleted());
        c.put("unavailable", catalog.unavailable());
        if (catalog.csvPrefix() != null) c.put("csv_prefix", catalog.csvPrefix());
    }

    private static Catalog catalog(JsonNode c) {
        if (c == null || !c.isObject()) return null;
        SortedMap<String, Long> cd = new TreeMap<>();
        c.path("dropped").fields().forEachRemaining(e -> cd.put(e.getKey(), e.getValue().asLong()));
        return new Catalog(c.path("files").asInt(), c.path("read").asLong(), cd, c.path("accepted").asLong(),
                c.path("live").asLong(), c.path("deleted").asLong(), c.path("unavailable").asLong(), text(c, "csv_prefix"));
    }

    private static String text(JsonNode root, String field) {
        return root.hasNonNull(field) ? root.get(field).asText() : null;
    }
}
