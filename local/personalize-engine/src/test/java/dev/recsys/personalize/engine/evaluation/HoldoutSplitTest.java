package dev.recsys.personalize.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.data.UserHistories;
import dev.recsys.personalize.engine.recipes.Hyperparameters;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldoutSplitTest {

    @Test
    void heldOutUsersLoseTheirMostRecentInteractionsToTheTestSet() {
        Interactions.Builder b = Interactions.builder();
        for (int u = 0; u < 200; u++) {
            // Ten events each, inserted newest first to prove ordering is by time, not input order.
            for (int t = 9; t >= 0; t--) b.add("u" + u, "i" + ((u + t) % 50), 1000 + t, "view", Float.NaN);
        }
        Interactions data = b.build();
        HoldoutSplit.Split split = HoldoutSplit.split(data, 0.1, 0.1);

        assertThat(split.testUsers()).hasSizeBetween(5, 40);
        assertThat(split.training().size()).isEqualTo(data.size() - split.testUsers().size());
        UserHistories training = UserHistories.of(split.training());
        for (HoldoutSplit.TestUser user : split.testUsers()) {
            int u = Integer.parseInt(user.userId().substring(1));
            // ceil(10 * 0.1) = 1 test event: the one at t = 9.
            assertThat(user.relevant()).containsExactly("i" + ((u + 9) % 50));
            assertThat(training.historyLength(training.userIndex(user.userId()))).isEqualTo(9);
        }
        assertThat(HoldoutSplit.split(data, 0.1, 0.1).testUsers()).isEqualTo(split.testUsers());
    }

    @Test
    void evaluatorReportsPersonalizeMetricNamesAndCoverage() {
        // Everybody saw a then b, except u0 who saw only a, then c: popularity recommends b to u0.
        Interactions.Builder b = Interactions.builder();
        for (int u = 1; u < 30; u++) b.add("u" + u, "a", 1, "view", Float.NaN).add("u" + u, "b", 2, "view", Float.NaN);
        b.add("u0", "a", 1, "view", Float.NaN).add("u0", "c", 2, "view", Float.NaN);
        UserHistories histories = UserHistories.of(b.build());
        TrainedModel popularity = TrainedModel.train(Recipe.POPULARITY, Hyperparameters.DEFAULTS, histories, 1);

        Map<String, Double> m = Evaluator.evaluate(popularity, java.util.List.of(new HoldoutSplit.TestUser("u0", Set.of("b"))));

        assertThat(m).containsOnlyKeys("coverage", "mean_reciprocal_rank_at_25",
                "normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_10",
                "normalized_discounted_cumulative_gain_at_25", "precision_at_5", "precision_at_10", "precision_at_25");
        // u0's history {a, c} is excluded, so the single answer is b: a hit at rank 1.
        assertThat(m.get("precision_at_5")).isEqualTo(0.2);
        assertThat(m.get("mean_reciprocal_rank_at_25")).isEqualTo(1.0);
        assertThat(m.get("normalized_discounted_cumulative_gain_at_10")).isEqualTo(1.0);
        assertThat(m.get("coverage")).isEqualTo(1.0 / 3);
    }
}
