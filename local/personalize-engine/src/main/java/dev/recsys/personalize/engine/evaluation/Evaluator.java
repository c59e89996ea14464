package dev.recsys.personalize.engine.evaluation;

import dev.recsys.personalize.engine.recipes.ModelScore;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores a model trained on a split's training part against its held-out users, with Personalize's metric
 * names. Personalize defines a query as the equivalent of a GetRecommendations call for a test user, given
 * the older part of their data; for every recipe the answer is compared with the same newest interactions,
 * so the metrics of different recipes on the same data compare (popularity is the documented baseline).
 */
public final class Evaluator {

    public static final int MAX_K = 25;

    private Evaluator() {}

    public static Map<String, Double> evaluate(TrainedModel model, List<HoldoutSplit.TestUser> testUsers) {
        double[] p = new double[3], ndcg = new double[3];
        int[] ks = {5, 10, 25};
        double mrr = 0;
        Set<String> recommended = new HashSet<>();
        for (HoldoutSplit.TestUser user : testUsers) {
            List<String> ranked = query(model, model.trainingHistory(user.userId())).stream().map(ModelScore::itemId).toList();
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

    /**
     * What a campaign of the model's recipe answers for this user. A related-items campaign is asked with an
     * item, so the query names the user's most recent one (and the user, whose items are not recommended, as
     * for every recipe). Scoring SIMS by the user's whole history instead would measure item-based
     * collaborative filtering, a model no related-items campaign serves. A ranking model ranks the whole
     * catalog, the largest input list it can be given.
     */
    private static List<ModelScore> query(TrainedModel model, int[] history) {
        if (model.recipe().needsItemId() && history.length > 0) {
            return model.related(history[history.length - 1], history, MAX_K);
        }
        return model.recommend(history, MAX_K);
    }
}
