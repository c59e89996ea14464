package dev.recsys.personalize.engine.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.data.UserHistories;
import dev.recsys.personalize.engine.evaluation.Evaluator;
import dev.recsys.personalize.engine.evaluation.HoldoutSplit;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the reference synthetic workload (planted taste clusters) every deployed recipe must clearly beat
 * popularity, evaluated the way Personalize does (held-out users, most recent interactions), on both metrics
 * the training pipeline's quality gate compares; on traffic without tastes popularity must win.
 */
class EngineQualityTest {

    static final String NDCG10 = "normalized_discounted_cumulative_gain_at_10";
    static final String PRECISION10 = "precision_at_10";
    static HoldoutSplit.Split split;

    @BeforeAll
    static void data() {
        split = split(SyntheticWorkload.Config.reference(42, 60_000, 1_700_000_000_000L));
    }

    static HoldoutSplit.Split split(SyntheticWorkload.Config workload) {
        Interactions.Builder b = Interactions.builder();
        for (InteractionEvent e : new SyntheticWorkload(workload)) {
            b.add(e.userId(), e.itemId(), e.timestampMillis() / 1000, e.eventType(), Float.NaN);
        }
        return HoldoutSplit.split(b.build(), 0.1, 0.1);
    }

    static Map<String, Double> metrics(Recipe recipe, Hyperparameters hp) {
        return metrics(split, recipe, hp);
    }

    static Map<String, Double> metrics(HoldoutSplit.Split split, Recipe recipe, Hyperparameters hp) {
        TrainedModel model = TrainedModel.train(recipe, hp, UserHistories.of(split.training()), 2);
        Map<String, Double> m = Evaluator.evaluate(model, split.testUsers());
        System.out.println(recipe + " " + hp + " -> " + m);
        return m;
    }

    @Test
    void userPersonalizationBeatsPopularityByAWideMargin() {
        double popularity = metrics(Recipe.POPULARITY, Hyperparameters.DEFAULTS).get(NDCG10);
        double ease = metrics(Recipe.USER_PERSONALIZATION, Hyperparameters.DEFAULTS).get(NDCG10);
        // Measured 0.227 vs 0.064 (3.6x); the asserted margin is 3x popularity's NDCG@10.
        assertThat(ease).isGreaterThan(3.0 * popularity);
    }

    @Test
    void relatedItemsAndRankingBeatPopularityOnBothGateMetrics() {
        Map<String, Double> popularity = metrics(Recipe.POPULARITY, Hyperparameters.DEFAULTS);
        // SIMS asked with each user's most recent item, as a related-items campaign is: measured NDCG@10 0.123 vs
        // 0.064, precision@10 0.034 vs 0.018. Ranking is the EASE model ranking the catalog: 0.227 / 0.052.
        for (Recipe r : new Recipe[] {Recipe.SIMS, Recipe.PERSONALIZED_RANKING}) {
            Map<String, Double> m = metrics(r, Hyperparameters.DEFAULTS);
            assertThat(m.get(NDCG10)).as(r + " NDCG@10").isGreaterThan(1.5 * popularity.get(NDCG10));
            assertThat(m.get(PRECISION10)).as(r + " precision@10").isGreaterThan(1.5 * popularity.get(PRECISION10));
        }
    }

    @Test
    void aTinyItemCapMakesADeliberatelyWorseModel() {
        double full = metrics(Recipe.USER_PERSONALIZATION, Hyperparameters.DEFAULTS).get(NDCG10);
        double capped = metrics(Recipe.USER_PERSONALIZATION, new Hyperparameters(300, 10, 100, 200)).get(NDCG10);
        assertThat(capped).isLessThan(0.7 * full);
    }

    @Test
    void aTinyItemCapFallsBackToPopularityNotBelowIt() {
        // Items the cap leaves out are ranked by popularity, so the capped model re-orders popularity's own top
        // items: measured NDCG@10 0.068 vs 0.064, the same precision@10 (0.018). It is weak against the live model, not
        // against the popularity baseline.
        Map<String, Double> popularity = metrics(Recipe.POPULARITY, Hyperparameters.DEFAULTS);
        Map<String, Double> capped = metrics(Recipe.USER_PERSONALIZATION, new Hyperparameters(300, 10, 100, 200));
        assertThat(capped.get(NDCG10)).isGreaterThanOrEqualTo(popularity.get(NDCG10));
        assertThat(capped.get(PRECISION10)).isGreaterThanOrEqualTo(popularity.get(PRECISION10));
    }

    @Test
    void onTrafficWithoutTastesPopularityBeatsEveryPersonalisedRecipe() {
        // Popularity-shaped picks (Zipf 0.8, as the reference) but no clusters: nothing personal to learn. Measured
        // NDCG@10 / precision@10: popularity 0.172 / 0.034, EASE (and ranking) 0.145 / 0.028, SIMS 0.073 / 0.017.
        HoldoutSplit.Split tasteless = split(new SyntheticWorkload.Config(7, 2_000, 500, 1, 0.9, 0.8, 0.0, 30_000,
                1_700_000_000_000L, 5));
        Map<String, Double> popularity = metrics(tasteless, Recipe.POPULARITY, Hyperparameters.DEFAULTS);
        for (Recipe r : new Recipe[] {Recipe.SIMS, Recipe.USER_PERSONALIZATION, Recipe.PERSONALIZED_RANKING}) {
            Map<String, Double> m = metrics(tasteless, r, Hyperparameters.DEFAULTS);
            assertThat(m.get(NDCG10)).as(r + " NDCG@10").isLessThan(popularity.get(NDCG10));
            assertThat(m.get(PRECISION10)).as(r + " precision@10").isLessThan(popularity.get(PRECISION10));
        }
    }
}
