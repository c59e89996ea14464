package dev.recsys.api.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One recommended item. Absent when the source has none: {@code score}; {@code promotion_name}, the promotion that
 * put it in this slot; {@code exploration}, true when the model placed it to explore (User-Personalization-v2's
 * reason {@code Exploration}); {@code metadata}, the Items columns the request asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScoredItem(@JsonProperty("item_id") String itemId, @JsonProperty("score") Double score,
                         @JsonProperty("promotion_name") String promotionName, @JsonProperty("exploration") Boolean exploration,
                         @JsonProperty("metadata") Map<String, String> metadata) {

    public ScoredItem(String itemId, Double score) {
        this(itemId, score, null, null, null);
    }

    public ScoredItem withMetadata(Map<String, String> m) {
        return new ScoredItem(itemId, score, promotionName, exploration, m);
    }

    /**
     * The metadata under the names the request asked for, whatever case the source used (Personalize returns its own
     * column names); columns the item lacks are left out. Null when none were asked for.
     */
    ScoredItem metadataFor(List<String> columns) {
        if (columns.isEmpty()) return metadata == null ? this : withMetadata(null);
        Map<String, String> byUpper = new LinkedHashMap<>();
        if (metadata != null) metadata.forEach((k, v) -> byUpper.put(k.toUpperCase(Locale.ROOT), v));
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : columns) {
            String v = byUpper.get(c.toUpperCase(Locale.ROOT));
            if (v != null) out.put(c, v);
        }
        return withMetadata(out);
    }
}
