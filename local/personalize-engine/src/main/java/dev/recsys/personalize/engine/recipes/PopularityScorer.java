package dev.recsys.personalize.engine.recipes;

/** aws-popularity-count: the same answer for everyone, most events first. */
public record PopularityScorer(float[] eventCounts) implements ItemScorer {

    @Override
    public void score(int[] history, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] += eventCounts[i];
    }
}
