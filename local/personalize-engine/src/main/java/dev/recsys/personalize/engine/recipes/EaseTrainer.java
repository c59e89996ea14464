package dev.recsys.personalize.engine.recipes;

import dev.recsys.personalize.engine.data.UserHistories;
import java.util.Arrays;

/**
 * EASE (Steck, 2019): B = I - P diag(1/diag(P)) with P = (X'X + lambda I)^-1 over binary user-item
 * data. Chosen over implicit ALS because it has a closed form (no iterations or seeds to tune, same
 * data gives the same model), is among the strongest classical top-N recommenders, and scoring a
 * history is one sparse-dense product, so real-time events change the next answer immediately.
 * Its cost is a dense inverse, fine up to ~5,000 items; beyond {@code maxItems} it models the most
 * popular items only (others still come from the popularity fallback).
 */
final class EaseTrainer {

    private EaseTrainer() {}

    static EaseScorer train(UserHistories data, Hyperparameters hp, int threads) {
        int n = data.itemCount();
        int[] columns = mostPopular(data, Math.min(hp.maxItems(), n));
        int m = columns.length;
        int[] columnOf = new int[n];
        Arrays.fill(columnOf, -1);
        for (int c = 0; c < m; c++) columnOf[columns[c]] = c;

        double[] g = new double[m * m];
        int[] offsets = data.offsetArray();
        int[] items = data.itemArray();
        int[] cols = new int[256];
        for (int u = 0; u < data.userCount(); u++) {
            int len = 0;
            for (int p = offsets[u]; p < offsets[u + 1]; p++) {
                int c = columnOf[items[p]];
                if (c < 0) continue;
                if (len == cols.length) cols = Arrays.copyOf(cols, len * 2);
                cols[len++] = c;
            }
            // Upper triangle only; mirrored below.
            for (int x = 0; x < len; x++) {
                int row = cols[x] * m;
                for (int y = 0; y < len; y++) {
                    if (cols[y] >= cols[x]) g[row + cols[y]] += 1;
                }
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) g[j * m + i] = g[i * m + j];
            g[i * m + i] += hp.easeLambda();
        }
        SpdInverse.invertInPlace(g, m, threads);
        float[] b = new float[m * m];
        for (int i = 0; i < m; i++) {
            int row = i * m;
            for (int j = 0; j < m; j++) {
                b[row + j] = i == j ? 0f : (float) (-g[row + j] / g[j * m + j]);
            }
        }
        return new EaseScorer(n, columns, b);
    }

    /** Indices of the {@code k} items with most events, ties by index. */
    static int[] mostPopular(UserHistories data, int k) {
        int n = data.itemCount();
        if (k >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(data.eventCount(b), data.eventCount(a));
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] top = new int[k];
        for (int i = 0; i < k; i++) top[i] = order[i];
        Arrays.sort(top);
        return top;
    }
}
