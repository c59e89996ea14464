package dev.recsys.personalize.engine.recipes;

import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.data.UserHistories;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;

/**
 * A trained solution version: the data it was trained on (histories, popularity) and its scorer.
 * Immutable, safe to share between request threads. Items already in the history are never
 * recommended (Personalize's default); items the scorer has no opinion on rank by popularity.
 */
public final class TrainedModel {

    private final Recipe recipe;
    private final Hyperparameters hyperparameters;
    private final UserHistories data;
    private final ItemScorer scorer;

    public TrainedModel(Recipe recipe, Hyperparameters hyperparameters, UserHistories data, ItemScorer scorer) {
        this.recipe = recipe;
        this.hyperparameters = hyperparameters;
        this.data = data;
        this.scorer = scorer;
    }

    /** Trains {@code recipe} on the interactions (trending reads their timestamps) using up to {@code threads} cores. */
    public static TrainedModel train(Recipe recipe, Hyperparameters hp, Interactions interactions, int threads) {
        UserHistories data = UserHistories.of(interactions);
        if (recipe == Recipe.TRENDING_NOW) return new TrainedModel(recipe, hp, data, TrendingScorer.train(interactions, data));
        return train(recipe, hp, data, threads);
    }

    /** Trains {@code recipe} on {@code data} using up to {@code threads} cores. */
    public static TrainedModel train(Recipe recipe, Hyperparameters hp, UserHistories data, int threads) {
        ItemScorer scorer = switch (recipe) {
            case POPULARITY -> new PopularityScorer(data.eventCountArray());
            case SIMS -> SimsTrainer.train(data, hp, threads);
            case USER_PERSONALIZATION, PERSONALIZED_RANKING -> EaseTrainer.train(data, hp, threads);
            case TRENDING_NOW -> throw new IllegalArgumentException("trending needs the interactions' timestamps: train on Interactions");
        };
        return new TrainedModel(recipe, hp, data, scorer);
    }

    public Recipe recipe() {
        return recipe;
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    public UserHistories data() {
        return data;
    }

    public ItemScorer scorer() {
        return scorer;
    }

    /** The item indices a user had in training data (empty for users unknown to the model). */
    public int[] trainingHistory(String userId) {
        int u = data.userIndex(userId);
        return u < 0 ? new int[0] : data.history(u);
    }

    /** Item indices of known item ids, in order; unknown ids are skipped. */
    public int[] itemIndices(Iterable<String> itemIds) {
        List<Integer> out = new ArrayList<>();
        for (String id : itemIds) {
            int i = data.itemIndex(id);
            if (i >= 0) out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Top {@code n} items for a history (cold users, empty history, get popular items). */
    public List<ModelScore> recommend(int[] history, int n) {
        return recommend(history, n, null);
    }

    /** As {@link #recommend(int[], int)} among the items {@code keep} accepts (a bound filter; null keeps all). */
    public List<ModelScore> recommend(int[] history, int n, Predicate<String> keep) {
        float[] scores = new float[data.itemCount()];
        scorer.score(history, scores);
        return topKept(scores, excluded(history), n, keep);
    }

    /** Items related to {@code item} (SIMS neighbours), skipping {@code exclude}; popular items fill up. */
    public List<ModelScore> related(int item, int[] exclude, int n) {
        return related(item, exclude, n, null);
    }

    /** As {@link #related(int, int[], int)} among the items {@code keep} accepts (null keeps all). */
    public List<ModelScore> related(int item, int[] exclude, int n, Predicate<String> keep) {
        float[] scores = new float[data.itemCount()];
        if (item >= 0 && scorer instanceof SimsScorer sims) sims.related(item, scores);
        BitSet skip = excluded(exclude);
        if (item >= 0) skip.set(item);
        return topKept(scores, skip, n, keep);
    }

    /**
     * The best {@code n} that the filter keeps, testing candidates in score order: the best 4n first, four times as
     * many while too few pass, so a filter is evaluated on the items near the top rather than on the whole catalog.
     */
    private List<ModelScore> topKept(float[] scores, BitSet skip, int n, Predicate<String> keep) {
        if (keep == null) return top(scores, skip, n);
        int eligible = data.itemCount() - skip.cardinality();
        for (int k = Math.min(eligible, Math.max(4 * n, 64)); ; k = Math.min(eligible, 4 * k)) {
            List<ModelScore> kept = new ArrayList<>(n);
            for (ModelScore s : top(scores, skip, k)) {
                if (keep.test(s.itemId()) && kept.add(s) && kept.size() == n) return kept;
            }
            if (k >= eligible) return kept;
        }
    }

    /**
     * Orders {@code candidates} (item ids) for a history. Unknown candidates keep their input order
     * after the known ones, as they have no score.
     */
    public List<ModelScore> rank(int[] history, List<String> candidates) {
        float[] scores = new float[data.itemCount()];
        scorer.score(history, scores);
        boolean personal = hasSignal(scores);
        double total = 0;
        for (String id : candidates) {
            int i = data.itemIndex(id);
            if (i >= 0) total += personal ? Math.max(0, scores[i]) : data.eventCount(i);
        }
        List<ModelScore> known = new ArrayList<>();
        List<ModelScore> unknown = new ArrayList<>();
        for (String id : candidates) {
            int i = data.itemIndex(id);
            if (i < 0) {
                unknown.add(new ModelScore(id, 0));
            } else {
                double s = personal ? Math.max(0, scores[i]) : data.eventCount(i);
                known.add(new ModelScore(id, total > 0 ? s / total : 0));
            }
        }
        known.sort((a, b) -> {
            int ia = data.itemIndex(a.itemId()), ib = data.itemIndex(b.itemId());
            int c = personal ? Float.compare(scores[ib], scores[ia]) : 0;
            return c != 0 ? c : Float.compare(data.eventCount(ib), data.eventCount(ia));
        });
        known.addAll(unknown);
        return known;
    }

    private BitSet excluded(int[] items) {
        BitSet b = new BitSet(data.itemCount());
        for (int i : items) b.set(i);
        return b;
    }

    private static boolean hasSignal(float[] scores) {
        for (float s : scores) if (s > 0) return true;
        return false;
    }

    /**
     * Best {@code n} non-excluded items by score, ties (e.g. all zero for a cold user) by popularity.
     * Returned scores are the positive scores normalised over all eligible items, or popularity
     * shares when the scorer gave nothing positive.
     */
    private List<ModelScore> top(float[] scores, BitSet skip, int n) {
        int items = data.itemCount();
        boolean personal = false;
        double total = 0, popularityTotal = 0;
        for (int i = 0; i < items; i++) {
            if (skip.get(i)) continue;
            if (scores[i] > 0) {
                total += scores[i];
                personal = true;
            }
            popularityTotal += data.eventCount(i);
        }
        int k = Math.min(n, items - skip.cardinality());
        if (k <= 0) return List.of();
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < items; i++) {
            if (skip.get(i)) continue;
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, scores);
            } else if (better(i, heap[0], scores)) {
                heap[0] = i;
                siftDown(heap, size, scores);
            }
        }
        ModelScore[] out = new ModelScore[size];
        for (int p = size - 1; p >= 0; p--) {
            int i = heap[0];
            double s = personal ? Math.max(0, scores[i]) / total : data.eventCount(i) / popularityTotal;
            out[p] = new ModelScore(data.itemId(i), s);
            heap[0] = heap[p];
            siftDown(heap, p, scores);
        }
        return List.of(out);
    }

    private boolean better(int a, int b, float[] scores) {
        if (scores[a] != scores[b]) return scores[a] > scores[b];
        if (data.eventCount(a) != data.eventCount(b)) return data.eventCount(a) > data.eventCount(b);
        return a < b;
    }

    // A min-heap by "better": the root is the worst of the kept items.
    private void siftUp(int[] heap, int i, float[] scores) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(heap[parent], heap[i], scores)) return;
            int t = heap[i];
            heap[i] = heap[parent];
            heap[parent] = t;
            i = parent;
        }
    }

    private void siftDown(int[] heap, int size, float[] scores) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < size && better(heap[worst], heap[l], scores)) worst = l;
            if (r < size && better(heap[worst], heap[r], scores)) worst = r;
            if (worst == i) return;
            int t = heap[i];
            heap[i] = heap[worst];
            heap[worst] = t;
            i = worst;
        }
    }
}
