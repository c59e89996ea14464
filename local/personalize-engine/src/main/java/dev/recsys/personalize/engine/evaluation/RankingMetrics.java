package dev.recsys.personalize.engine.evaluation;

import java.util.List;
import java.util.Set;

/**
 * Per-query offline metrics as Personalize defines them (binary relevance): precision@K counts hits
 * in the top K over K; NDCG@K discounts a hit at rank r (1-based) by 1/log2(1+r) and divides by the
 * best achievable DCG for that many relevant items; reciprocal rank@K is 1/rank of the first hit.
 */
public final class RankingMetrics {

    private RankingMetrics() {}

    public static double precisionAt(List<String> ranked, Set<String> relevant, int k) {
        requirePositive(k);
        int hits = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) if (relevant.contains(ranked.get(i))) hits++;
        return (double) hits / k;
    }

    public static double ndcgAt(List<String> ranked, Set<String> relevant, int k) {
        requirePositive(k);
        if (relevant.isEmpty()) return 0;
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevant.contains(ranked.get(i))) dcg += discount(i);
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) ideal += discount(i);
        return dcg / ideal;
    }

    public static double reciprocalRankAt(List<String> ranked, Set<String> relevant, int k) {
        requirePositive(k);
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevant.contains(ranked.get(i))) return 1.0 / (i + 1);
        }
        return 0;
    }

    /** 1 / log2(rank + 1) for a 0-based position. */
    private static double discount(int position) {
        return 1.0 / (Math.log(position + 2) / Math.log(2));
    }

    private static void requirePositive(int k) {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1");
    }
}
