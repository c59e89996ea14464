package dev.recsys.api.core;

import java.util.List;

/**
 * The model as the core calls it: guarded (timeout, breaker, bulkhead), so a call never throws and
 * never overruns its budget; a failure comes back as the reason to fall back.
 */
public interface Model {

    ModelOutcome recommend(String campaignArn, String userId, int limit, String filterArn);

    ModelOutcome similar(String campaignArn, String itemId, String userId, int limit);

    ModelOutcome rank(String campaignArn, String userId, List<String> itemIds);

    /** CLOSED, OPEN, HALF_OPEN ...: reported with every answer the model was asked for. */
    String breakerState();
}
