package dev.recsys.api.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of every recommendation response. {@code source} is {@code personalize} or
 * {@code fallback}; a fallback names its {@code fallback_reason}. {@code cached} tells whether
 * this copy came from Redis. The same JSON is what the cache stores.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Answer(
        @JsonProperty("user_id") String userId,
        @JsonProperty("item_id") String itemId,
        @JsonProperty("items") List<ScoredItem> items,
        @JsonProperty("recommendation_id") String recommendationId,
        @JsonProperty("variant") String variant,
        @JsonProperty("campaign_arn") String campaignArn,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("source") String source,
        @JsonProperty("fallback_reason") String fallbackReason,
        @JsonProperty("cached") boolean cached) {

    public static final String PERSONALIZE = "personalize";
    public static final String FALLBACK = "fallback";

    public Answer {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public Answer asCached() {
        return new Answer(userId, itemId, items, recommendationId, variant, campaignArn, modelVersion, source,
                fallbackReason, true);
    }

    public boolean isFallback() {
        return FALLBACK.equals(source);
    }
}
