package dev.recsys.api.core;

import java.util.List;

/**
 * The model behind the API (Amazon Personalize's runtime in both AWS and offline mode).
 * Implementations throw on any failure; resilience and fallback are the caller's business.
 */
public interface Recommender {

    /** GetRecommendations: for a user, related to an item (its user, if any, is left out what they had), or trending. */
    Recommendation recommend(ModelRequest request);

    /** GetPersonalizedRanking of {@code itemIds} for {@code request.userId()}. */
    Recommendation rank(ModelRequest request, List<String> itemIds);
}
