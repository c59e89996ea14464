package dev.recsys.api.fallback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.core.FallbackList;
import dev.recsys.api.core.ScoredItem;
import dev.recsys.api.json.Json;
import dev.recsys.common.event.EventLimits;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PopularItemsDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * The fallback list the training pipeline publishes to S3 (a {@link PopularItemsDocument} at
 * {@link S3Layout#POPULAR_ITEMS_KEY}), validated for serving. Its {@code model_version} is also the version every
 * cache field carries, so publishing a new model (which the pipeline does right after updating the campaigns)
 * retires all older cache entries.
 */
public record PopularItems(String generatedAt, String modelVersion, List<ScoredItem> items) implements FallbackList {

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
        PopularItemsDocument doc = PopularItemsDocument.parse(json, MAX_ITEMS);
        List<ScoredItem> items = new ArrayList<>();
        for (PopularItemsDocument.Item i : doc.items()) {
            if (!EventLimits.isValidId(i.itemId())) {
                throw new IllegalArgumentException("popular items: invalid item_id " + i.itemId());
            }
            items.add(new ScoredItem(i.itemId(), i.score()));
        }
        return new PopularItems(doc.generatedAt(), doc.modelVersion(), items);
    }
}
