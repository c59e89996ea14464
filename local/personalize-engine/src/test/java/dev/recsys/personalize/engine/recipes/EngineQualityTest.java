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
 * On the reference synthetic workload (planted taste clusters) a personalised model must clearly
 * beat popularity, evaluated the way Personalize does (held-out users, most recent interactions).
 */
class EngineQualityTest {

    static final String NDCG10 = "normalized_discounted_cumulative_gain_at_10";
    static HoldoutSplit.Split split;

    @BeforeAll
    static void data() {
        Interactions.Builder b = Interactions.builder();
        for (InteractionEvent e : new SyntheticWorkload(SyntheticWorkload.Config.reference(42, 60_000, 1_700_000_000_000L))) {
            b.add(e.userId(), e.itemId(), e.timestampMillis() / 1000, e.eventType(), Float.NaN);
        }
        split = HoldoutSplit.split(b.build(), 0.1, 0.1);
    }

    static Map<String, Double> metrics(Recipe recipe, Hyperparameters hp) {
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
    void itemToItemAlsoBeatsPopularity() {
        double popularity = metrics(Recipe.POPULARITY, Hyperparameters.DEFAULTS).get(NDCG10);
        double sims = metrics(Recipe.SIMS, Hyperparameters.DEFAULTS).get(NDCG10);
        assertThat(sims).isGreaterThan(popularity);
    }

    @Test
    void aTinyItemCapMakesADeliberatelyWorseModel() {
        double full = metrics(Recipe.USER_PERSONALIZATION, Hyperparameters.DEFAULTS).get(NDCG10);
        double capped = metrics(Recipe.USER_PERSONALIZATION, new Hyperparameters(300, 10, 100, 200)).get(NDCG10);
        assertThat(capped).isLessThan(0.7 * full);
    }
}
