package dev.recsys.api.core;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of every recommendation response. {@code source} is {@code personalize} or
 * {@code fallback}; a fallback names its {@code fallback_reason}. {@code cached} tells whether
 * this copy came from Redis. The same JSON is what the cache stores. {@code recommendation_id} is
 * new in every response (a cached answer shown twice is two exposures); clients send it back on the
 * clicks and purchases it leads to. {@code model_recommendation_id} is the model's own id, if any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Answer(
        @JsonProperty("user_id") String userId,
        @JsonProperty("item_id") String itemId,
        @JsonProperty("items") List<ScoredItem> items,
        @JsonProperty("recommendation_id") String recommendationId,
        @JsonProperty("model_recommendation_id") String modelRecommendationId,
        @JsonProperty("variant") String variant,
        @JsonProperty("campaign_arn") String campaignArn,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("source") String source,
        @JsonProperty("fallback_reason") FallbackReason fallbackReason,
        @JsonProperty("cached") boolean cached) {

    public static final String PERSONALIZE = "personalize";
    public static final String FALLBACK = "fallback";

    public Answer {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public Answer asCached() {
        return new Answer(userId, itemId, items, recommendationId, modelRecommendationId, variant, campaignArn, modelVersion,
                source, fallbackReason, true);
    }

    /** This answer as served to one caller: its own recommendation id (an exposure id), and for whom. */
    public Answer servedAs(String id, String user) {
        return new Answer(user, itemId, items, id, modelRecommendationId, variant, campaignArn, modelVersion, source,
                fallbackReason, cached);
    }

    public boolean isFallback() {
        return FALLBACK.equals(source);
    }
}
