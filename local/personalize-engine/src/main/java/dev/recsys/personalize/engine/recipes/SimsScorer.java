package dev.recsys.personalize.engine.recipes;

/**
 * Item-item neighbours in CSR form: {@code offsets[i]..offsets[i+1]} index {@code neighbours} and
 * {@code similarities} for item {@code i}, most similar first.
 */
public record SimsScorer(int[] offsets, int[] neighbours, float[] similarities) implements ItemScorer {

    public SimsScorer {
        if (neighbours.length != similarities.length || offsets[offsets.length - 1] != neighbours.length) {
            throw new IllegalArgumentException("inconsistent neighbour arrays");
        }
    }

    /** Item-based collaborative filtering: the summed similarity to the history's items. */
    @Override
    public void score(int[] history, float[] out) {
        for (int item : history) {
            for (int p = offsets[item]; p < offsets[item + 1]; p++) out[neighbours[p]] += similarities[p];
        }
    }

    /** Adds the similarity of every neighbour of {@code item} into {@code out}. */
    public void related(int item, float[] out) {
        for (int p = offsets[item]; p < offsets[item + 1]; p++) out[neighbours[p]] += similarities[p];
    }
}
