package dev.recsys.personalize.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.data.UserHistories;
import dev.recsys.personalize.engine.recipes.Hyperparameters;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static final String MRR = "mean_reciprocal_rank_at_25";

    @Test
    void relatedItemsAreQueriedWithTheUsersMostRecentItemLikeACampaign() {
        // x goes with y; z, z2 and z3 all go with w. The test user saw z, z2, z3 and, most recently, x.
        Interactions.Builder b = Interactions.builder();
        for (int u = 0; u < 5; u++) b.add("xy" + u, "x", 1, "view", Float.NaN).add("xy" + u, "y", 2, "view", Float.NaN);
        for (int u = 0; u < 5; u++) {
            for (String i : List.of("z", "z2", "z3", "w")) b.add("zw" + u, i, 1, "view", Float.NaN);
        }
        long t = 10;
        for (String i : List.of("z", "z2", "z3", "x")) b.add("t", i, t++, "view", Float.NaN);
        UserHistories data = UserHistories.of(b.build());
        TrainedModel sims = TrainedModel.train(Recipe.SIMS, Hyperparameters.DEFAULTS, data, 1);

        // A related-items campaign asked with x answers y first; summing over the whole history would put w first.
        assertThat(Evaluator.evaluate(sims, List.of(new HoldoutSplit.TestUser("t", Set.of("y")))).get(MRR)).isEqualTo(1.0);
        assertThat(Evaluator.evaluate(sims, List.of(new HoldoutSplit.TestUser("t", Set.of("w")))).get(MRR)).isLessThan(1.0);
        int x = data.itemIndex("x");
        assertThat(sims.related(x, sims.trainingHistory("t"), 1).get(0).itemId()).isEqualTo("y");
        float[] summed = new float[data.itemCount()];
        sims.scorer().score(sims.trainingHistory("t"), summed);
        assertThat(summed[data.itemIndex("w")]).isGreaterThan(summed[data.itemIndex("y")]);
    }

    @Test
    void everyRecipeIsScoredAgainstTheSameHeldOutItems() {
        Interactions.Builder b = Interactions.builder();
        for (int u = 0; u < 30; u++) b.add("u" + u, "a", 1, "view", Float.NaN).add("u" + u, "b", 2, "view", Float.NaN);
        Interactions data = b.add("t", "a", 1, "view", Float.NaN).build();
        List<HoldoutSplit.TestUser> test = List.of(new HoldoutSplit.TestUser("t", Set.of("b")));
        for (Recipe r : Recipe.values()) {
            Map<String, Double> m = Evaluator.evaluate(TrainedModel.train(r, Hyperparameters.DEFAULTS, data, 1), test);
            assertThat(m.get(MRR)).as(r.name()).isEqualTo(1.0);
        }
    }
}
