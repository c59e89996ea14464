package dev.recsys.api.core;

import java.util.List;

/**
 * The model as the core calls it: guarded (timeout, breaker, bulkhead), so a call never throws and
 * never overruns its budget; a failure comes back as the reason to fall back.
 */
public interface Model {

    /** Personalize's GetRecommendations: user recommendations, related items, trending items. */
    ModelOutcome recommend(ModelRequest request);

    /** Personalize's GetPersonalizedRanking of the caller's items ({@code request.limit()} unused). */
    ModelOutcome rank(ModelRequest request, List<String> itemIds);

    /** CLOSED, OPEN, HALF_OPEN ...: reported with every answer the model was asked for. */
    String breakerState();
}
