package dev.recsys.personalize.engine.recipes;

import dev.recsys.personalize.engine.data.UserHistories;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Related items by co-occurrence: cosine similarity of item columns of the binary user-item matrix,
 * {@code sim(i,j) = |users(i) & users(j)| / sqrt(|users(i)| |users(j)|)}, top-k per item. Only the
 * most recent {@code simsMaxHistory} items of a user count, which bounds the quadratic pair work.
 */
final class SimsTrainer {

    private SimsTrainer() {}

    static SimsScorer train(UserHistories data, Hyperparameters hp, int threads) {
        int n = data.itemCount();
        int[] offsets = data.offsetArray();
        int[] items = data.itemArray();
        int users = data.userCount();
        int[] from = new int[users];
        for (int u = 0; u < users; u++) from[u] = Math.max(offsets[u], offsets[u + 1] - hp.simsMaxHistory());

        // Transpose: the users of each item.
        int[] userStart = new int[n + 1];
        for (int u = 0; u < users; u++) for (int p = from[u]; p < offsets[u + 1]; p++) userStart[items[p] + 1]++;
        for (int i = 0; i < n; i++) userStart[i + 1] += userStart[i];
        int[] fill = Arrays.copyOf(userStart, n);
        int[] itemUsers = new int[userStart[n]];
        for (int u = 0; u < users; u++) for (int p = from[u]; p < offsets[u + 1]; p++) itemUsers[fill[items[p]]++] = u;

        int k = hp.simsNeighbors();
        int[][] nbr = new int[n][];
        float[][] sim = new float[n][];
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[n]);
        Runnable work = () -> IntStream.range(0, n).parallel().forEach(i -> {
            float[] acc = scratch.get();
            int[] touched = new int[64];
            int touchedCount = 0;
            for (int q = userStart[i]; q < userStart[i + 1]; q++) {
                int u = itemUsers[q];
                for (int p = from[u]; p < offsets[u + 1]; p++) {
                    int j = items[p];
                    if (j == i) continue;
                    if (acc[j] == 0) {
                        if (touchedCount == touched.length) touched = Arrays.copyOf(touched, touchedCount * 2);
                        touched[touchedCount++] = j;
                    }
                    acc[j] += 1;
                }
            }
            double ni = userStart[i + 1] - userStart[i];
            TopK top = new TopK(Math.min(k, Math.max(touchedCount, 1)));
            for (int t = 0; t < touchedCount; t++) {
                int j = touched[t];
                double nj = userStart[j + 1] - userStart[j];
                top.offer(j, (float) (acc[j] / Math.sqrt(ni * nj)));
                acc[j] = 0;
            }
            top.sortDescending();
            nbr[i] = top.items();
            sim[i] = top.scores();
        });
        runWith(threads, work);

        int[] off = new int[n + 1];
        for (int i = 0; i < n; i++) off[i + 1] = off[i] + nbr[i].length;
        int[] allNbr = new int[off[n]];
        float[] allSim = new float[off[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(nbr[i], 0, allNbr, off[i], nbr[i].length);
            System.arraycopy(sim[i], 0, allSim, off[i], sim[i].length);
        }
        return new SimsScorer(off, allNbr, allSim);
    }

    private static void runWith(int threads, Runnable work) {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(work).join();
        } finally {
            pool.shutdown();
        }
    }

    /** Keeps the k best (item, score) pairs; returns them best first. */
    static final class TopK {
        private final int[] items;
        private final float[] scores;
        private int size;

        TopK(int k) {
            items = new int[k];
            scores = new float[k];
        }

        void offer(int item, float score) {
            if (size < items.length) {
                items[size] = item;
                scores[size] = score;
                size++;
                siftUp(size - 1);
            } else if (score > scores[0]) {
                items[0] = item;
                scores[0] = score;
                siftDown(0);
            }
        }

        int[] items() {
            return Arrays.copyOf(items, size);
        }

        float[] scores() {
            return Arrays.copyOf(scores, size);
        }

        /** Orders the kept pairs best first (the heap is gone afterwards). */
        void sortDescending() {
            // Heap-sort in place: repeatedly move the minimum to the end.
            int n = size;
            while (n > 1) {
                swap(0, n - 1);
                n--;
                int saved = size;
                size = n;
                siftDown(0);
                size = saved;
            }
        }

        private void siftUp(int i) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (scores[i] >= scores[parent]) return;
                swap(i, parent);
                i = parent;
            }
        }

        private void siftDown(int i) {
            while (true) {
                int l = 2 * i + 1, r = l + 1, min = i;
                if (l < size && scores[l] < scores[min]) min = l;
                if (r < size && scores[r] < scores[min]) min = r;
                if (min == i) return;
                swap(i, min);
                i = min;
            }
        }

        private void swap(int a, int b) {
            int ti = items[a];
            items[a] = items[b];
            items[b] = ti;
            float ts = scores[a];
            scores[a] = scores[b];
            scores[b] = ts;
        }
    }
}
