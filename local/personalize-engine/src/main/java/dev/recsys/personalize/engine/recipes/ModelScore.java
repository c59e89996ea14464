package dev.recsys.personalize.engine.recipes;

/**
 * A trained model's answer entry: the item id and a score in [0, 1] (scores of all candidates sum to
 * at most 1). Named apart from the API's {@code ScoredItem}, which is what a client is shown.
 */
public record ModelScore(String itemId, double score) {}
