package dev.recsys.personalize.engine.recipes;

/** The learned part of a model: how much each item suits a history. */
public sealed interface ItemScorer permits PopularityScorer, EaseScorer, SimsScorer, TrendingScorer {

    /** Adds each item's score for this history (item indices, oldest first) into {@code out}. */
    void score(int[] history, float[] out);
}
