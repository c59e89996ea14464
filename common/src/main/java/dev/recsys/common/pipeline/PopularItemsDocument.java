package dev.recsys.common.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback list at {@code S3Layout.POPULAR_ITEMS_KEY}, as the training pipeline publishes it and the API reads it:
 * <pre>{"generated_at": "2026-11-25T06:00:00Z", "model_version": "...", "items": [{"item_id": "i1", "score": 0.93}, ...]}</pre>
 * Only the shape is here; the API validates what it serves (ids, version, length) on top.
 *
 * @param generatedAt  when the pipeline published it (ISO-8601), or null
 * @param modelVersion the run that published it: also the version of the API's cache entries
 * @param items        best first; an item's score is null where the document has no number for it
 */
public record PopularItemsDocument(String generatedAt, String modelVersion, List<Item> items) {

    public record Item(String itemId, Double score) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public PopularItemsDocument {
        items = List.copyOf(items);
    }

    public byte[] toJson() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("generated_at", generatedAt);
        doc.put("model_version", modelVersion);
        ArrayNode array = doc.putArray("items");
        for (Item i : items) array.addObject().put("item_id", i.itemId()).put("score", i.score());
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads at most {@code maxItems} items (the rest is not looked at). Throws IllegalArgumentException when the
     * bytes are not JSON or not an object with an items array; an item without a text id has a null id.
     */
    public static PopularItemsDocument parse(byte[] json, int maxItems) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("popular items: not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("items").isArray()) {
            throw new IllegalArgumentException("popular items: expected an object with an items array");
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode n : root.get("items")) {
            if (items.size() == maxItems) break;
            JsonNode score = n.get("score");
            items.add(new Item(n.path("item_id").asText(null), score != null && score.isNumber() ? score.doubleValue() : null));
        }
        return new PopularItemsDocument(root.path("generated_at").asText(null), root.path("model_version").asText(null), items);
    }
}
