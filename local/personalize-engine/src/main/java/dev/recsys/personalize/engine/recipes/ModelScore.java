package dev.recsys.personalize.engine.recipes;

/** An answer entry: the item id and a score in [0, 1] (scores of all candidates sum to at most 1). */
public record ScoredItem(String itemId, double score) {}
