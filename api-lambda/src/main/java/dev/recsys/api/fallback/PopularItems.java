package dev.recsys.api.fallback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.core.FallbackList;
import dev.recsys.api.core.ScoredItem;
import dev.recsys.api.json.Json;
import dev.recsys.common.event.EventLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback list the training pipeline publishes to S3 {@code config/popular-items.json}:
 * <pre>{"generated_at": "2026-11-25T06:00:00Z", "model_version": "...", "items": [{"item_id": "i1", "score": 0.93}, ...]}</pre>
 * Its {@code model_version} is also the version every cache field carries, so publishing a new
 * model (which the pipeline does right after updating the campaigns) retires all older cache entries.
 */
public record PopularItems(String generatedAt, String modelVersion, List<ScoredItem> items) implements FallbackList {

    public static final String S3_KEY = "config/popular-items.json";
    private static final int MAX_ITEMS = 500;

    public PopularItems {
        if (modelVersion == null || modelVersion.isBlank() || modelVersion.length() > 128 || modelVersion.contains("|")) {
            throw new IllegalArgumentException("model_version must be 1..128 chars without '|'");
        }
        items = List.copyOf(items);
    }

    /** The configured list used until the pipeline has published one. */
    public static PopularItems staticList(List<String> itemIds) {
        List<ScoredItem> items = new ArrayList<>();
        for (String id : itemIds) {
            items.add(new ScoredItem(id, null));
        }
        return new PopularItems(null, "static", items);
    }

    /** Parses and validates a published document; throws IllegalArgumentException when it is unusable. */
    public static PopularItems parse(byte[] json) {
        try {
            JsonNode root = Json.MAPPER.readTree(json);
            if (root == null || !root.isObject() || !root.path("items").isArray()) {
                throw new IllegalArgumentException("popular items: expected an object with an items array");
            }
            List<ScoredItem> items = new ArrayList<>();
            for (JsonNode n : root.get("items")) {
                String id = n.path("item_id").asText(null);
                if (!EventLimits.isValidId(id)) {
                    throw new IllegalArgumentException("popular items: invalid item_id " + id);
                }
                JsonNode score = n.get("score");
                items.add(new ScoredItem(id, score != null && score.isNumber() ? score.doubleValue() : null));
                if (items.size() == MAX_ITEMS) {
                    break;
                }
            }
            return new PopularItems(root.path("generated_at").asText(null), root.path("model_version").asText(null), items);
        } catch (IOException e) {
            throw new IllegalArgumentException("popular items: not JSON: " + e.getMessage(), e);
        }
    }
}
