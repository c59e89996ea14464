package dev.recsys.glue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a run read, dropped and wrote: {@code prepared/<run-id>/manifest.json}. The training Lambda
 * reads it to start the import (CSV prefix), to publish the popular-items fallback, and to report
 * the numbers on SNS.
 *
 * @param status  {@code SUCCEEDED} or {@code INSUFFICIENT_DATA} (then nothing but the manifest is written)
 * @param dropped per reason, rows Personalize would reject (never silently lost: they are counted here)
 * @param exposurePartitions hour partitions of exposures read (none is normal where nothing records them)
 * @param withImpressions    written interactions whose answer was found, so they carry IMPRESSION
 */
public record PreparationManifest(String runId, String status, String message, String windowStart, String windowEnd,
                                  int inputPartitions, int exposurePartitions, long read, long duplicates,
                                  SortedMap<String, Long> dropped, long written, long users, long items, long eventTypes,
                                  long withImpressions, List<String> columns, String csvPrefix,
                                  List<PopularItem> popularItems) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String INSUFFICIENT_DATA = "INSUFFICIENT_DATA";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
