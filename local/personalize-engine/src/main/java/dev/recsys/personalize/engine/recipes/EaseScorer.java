package dev.recsys.personalize.engine.recipes;

import java.util.Arrays;

/**
 * EASE weights over the covered items: {@code score = history . B}. {@code columns[c]} is the item of
 * column {@code c}; {@code weights} is the dense m x m matrix B in row-major order (zero diagonal).
 */
public final class EaseScorer implements ItemScorer {

    private final int[] columns;
    private final float[] weights;
    private final int[] columnOf;

    public EaseScorer(int itemCount, int[] columns, float[] weights) {
        if ((long) columns.length * columns.length != weights.length) {
            throw new IllegalArgumentException("weights must be columns x columns");
        }
        this.columns = columns;
        this.weights = weights;
        this.columnOf = new int[itemCount];
        Arrays.fill(columnOf, -1);
        for (int j = 0; j < columns.length; j++) columnOf[columns[j]] = j;
    }

    @Override
    public void score(int[] history, float[] out) {
        int m = columns.length;
        float[] acc = new float[m];
        for (int item : history) {
            int c = columnOf[item];
            if (c < 0) continue;
            int row = c * m;
            for (int j = 0; j < m; j++) acc[j] += weights[row + j];
        }
        for (int j = 0; j < m; j++) out[columns[j]] += acc[j];
    }

    /** B[i][j] for items i and j, 0 when either is not covered. */
    public float weight(int itemFrom, int itemTo) {
        int a = columnOf[itemFrom], b = columnOf[itemTo];
        return a < 0 || b < 0 ? 0f : weights[a * columns.length + b];
    }

    int[] columns() {
        return columns;
    }

    float[] weights() {
        return weights;
    }
}
