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
 */
public record PreparationManifest(String runId, String status, String message, String windowStart, String windowEnd,
                                  int inputPartitions, int exposurePartitions, long read, long duplicates,
                                  SortedMap<String, Long> dropped, long written, long users, long items, long eventTypes,
                                  long withImpressions, List<String> columns, String csvPrefix,
                                  List<PopularItem> popularItems) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * An item and how many written interactions name it. A count, so a whole number: the fallback document turns it
     * into the API's (double) score when it is published.
     */
    public record PopularItem(String itemId, long score) {}

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
                text(root, "csv_prefix"), popular);
    }

    private static String text(JsonNode root, String field) {
        return root.hasNonNull(field) ? root.get(field).asText() : null;
    }
}
