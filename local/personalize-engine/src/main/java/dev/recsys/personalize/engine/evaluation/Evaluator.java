package dev.recsys.personalize.engine.evaluation;

import dev.recsys.personalize.engine.recipes.ScoredItem;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Scores a model trained on a split's training part against its held-out users, with Personalize's metric names. */
public final class Evaluator {

    public static final int MAX_K = 25;

    private Evaluator() {}

    public static Map<String, Double> evaluate(TrainedModel model, List<HoldoutSplit.TestUser> testUsers) {
        double[] p = new double[3], ndcg = new double[3];
        int[] ks = {5, 10, 25};
        double mrr = 0;
        Set<String> recommended = new HashSet<>();
        for (HoldoutSplit.TestUser user : testUsers) {
            List<String> ranked = model.recommend(model.trainingHistory(user.userId()), MAX_K).stream()
                    .map(ScoredItem::itemId).toList();
            recommended.addAll(ranked);
            for (int i = 0; i < ks.length; i++) {
                p[i] += RankingMetrics.precisionAt(ranked, user.relevant(), ks[i]);
                ndcg[i] += RankingMetrics.ndcgAt(ranked, user.relevant(), ks[i]);
            }
            mrr += RankingMetrics.reciprocalRankAt(ranked, user.relevant(), MAX_K);
        }
        int n = Math.max(1, testUsers.size());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("coverage", model.data().itemCount() == 0 ? 0 : (double) recommended.size() / model.data().itemCount());
        metrics.put("mean_reciprocal_rank_at_25", mrr / n);
        for (int i = 0; i < ks.length; i++) {
            metrics.put("normalized_discounted_cumulative_gain_at_" + ks[i], ndcg[i] / n);
        }
        for (int i = 0; i < ks.length; i++) {
            metrics.put("precision_at_" + ks[i], p[i] / n);
        }
        return metrics;
    }
}
