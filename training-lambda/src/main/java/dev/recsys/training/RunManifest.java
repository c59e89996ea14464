package dev.recsys.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Glue job's {@code prepared/<run-id>/manifest.json}, as far as the pipeline uses it: where the CSV is,
 * the counts for the notification, and the popular items for the fallback list.
 */
public record RunManifest(String runId, String status, String csvPrefix, long read, long duplicates, long dropped,
                          long written, long users, long items, List<PopularItem> popularItems) {

    public record PopularItem(String itemId, double score) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static String key(String runId) {
        return dev.recsys.common.keys.S3Layout.PREPARED_PREFIX + runId + "/manifest.json";
    }

    public static RunManifest parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidTaskInputException("manifest is not JSON: " + e.getMessage());
        }
        JsonNode counts = root.path("counts");
        long dropped = 0;
        for (JsonNode n : counts.path("dropped")) dropped += n.asLong();
        List<PopularItem> popular = new ArrayList<>();
        for (JsonNode p : root.path("popular_items")) {
            popular.add(new PopularItem(p.path("item_id").asText(), p.path("score").asDouble()));
        }
        return new RunManifest(root.path("run_id").asText(), root.path("status").asText(),
                root.hasNonNull("csv_prefix") ? root.get("csv_prefix").asText() : null,
                counts.path("read").asLong(), counts.path("duplicates").asLong(), dropped,
                counts.path("written").asLong(), counts.path("users").asLong(), counts.path("items").asLong(),
                List.copyOf(popular));
    }
}
