package dev.recsys.api.core;

import java.util.List;

/**
 * The model behind the API (Amazon Personalize's runtime in both AWS and offline mode).
 * Implementations throw on any failure; resilience and fallback are the caller's business.
 */
public interface Recommender {

    Recommendation recommend(String campaignArn, String userId, int limit, String filterArn);

    /** @param userId optional: the model then leaves out what this user already interacted with */
    Recommendation similar(String campaignArn, String itemId, String userId, int limit);

    Recommendation rank(String campaignArn, String userId, List<String> itemIds);
}
