package dev.recsys.personalize.engine.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.data.UserHistories;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * X = {u1: a b, u2: a b, u3: b c}, lambda = 1: G + I = [[3,2,0],[2,4,1],[0,1,2]], det 13,
 * P = [[7,-4,2],[-4,6,-3],[2,-3,8]] / 13 and B_ij = -P_ij / P_jj, worked out by hand.
 */
class EaseToyMatrixTest {

    static UserHistories toy() {
        return UserHistories.of(Interactions.builder()
                .add("u1", "a", 1, "view", Float.NaN).add("u1", "b", 2, "view", Float.NaN)
                .add("u2", "a", 3, "view", Float.NaN).add("u2", "b", 4, "view", Float.NaN)
                .add("u3", "b", 5, "view", Float.NaN).add("u3", "c", 6, "view", Float.NaN)
                .build());
    }

    @Test
    void closedFormWeightsMatchTheHandComputedInverse() {
        UserHistories data = toy();
        TrainedModel model = TrainedModel.train(Recipe.USER_PERSONALIZATION, new Hyperparameters(1.0, 100, 10, 10), data, 2);
        EaseScorer b = (EaseScorer) model.scorer();
        int a = data.itemIndex("a"), bb = data.itemIndex("b"), c = data.itemIndex("c");
        assertThat(b.weight(a, bb)).isCloseTo(4f / 6, within(1e-5f));
        assertThat(b.weight(a, c)).isCloseTo(-2f / 8, within(1e-5f));
        assertThat(b.weight(bb, a)).isCloseTo(4f / 7, within(1e-5f));
        assertThat(b.weight(bb, c)).isCloseTo(3f / 8, within(1e-5f));
        assertThat(b.weight(c, a)).isCloseTo(-2f / 7, within(1e-5f));
        assertThat(b.weight(c, bb)).isCloseTo(3f / 6, within(1e-5f));
        assertThat(b.weight(a, a)).isZero();
    }

    @Test
    void recommendsByHistoryTimesBAndExcludesTheHistory() {
        UserHistories data = toy();
        TrainedModel model = TrainedModel.train(Recipe.USER_PERSONALIZATION, new Hyperparameters(1.0, 100, 10, 10), data, 1);
        List<ModelScore> forA = model.recommend(new int[] {data.itemIndex("a")}, 10);
        assertThat(forA).extracting(ModelScore::itemId).containsExactly("b", "c");
        // Only b has a positive score (c is -0.25), so b carries the whole normalised mass.
        assertThat(forA.get(0).score()).isCloseTo(1.0, within(1e-9));
        List<ModelScore> forC = model.recommend(new int[] {data.itemIndex("c")}, 10);
        assertThat(forC).extracting(ModelScore::itemId).containsExactly("b", "a");
    }

    @Test
    void coldUsersGetPopularItemsAndRankingPutsUnknownItemsLast() {
        UserHistories data = toy();
        TrainedModel model = TrainedModel.train(Recipe.PERSONALIZED_RANKING, new Hyperparameters(1.0, 100, 10, 10), data, 1);
        assertThat(model.recommend(new int[0], 2)).extracting(ModelScore::itemId).containsExactly("b", "a");
        List<ModelScore> ranked = model.rank(new int[] {data.itemIndex("a")}, List.of("zzz", "c", "b"));
        assertThat(ranked).extracting(ModelScore::itemId).containsExactly("b", "c", "zzz");
    }

    @Test
    void simsFindsTheCoOccurringItem() {
        UserHistories data = toy();
        TrainedModel model = TrainedModel.train(Recipe.SIMS, Hyperparameters.DEFAULTS, data, 2);
        // cos(a,b) = 2/sqrt(2*3), cos(a,c) = 0: b is a's only neighbour, then popularity fills.
        List<ModelScore> related = model.related(data.itemIndex("a"), new int[0], 2);
        assertThat(related).extracting(ModelScore::itemId).containsExactly("b", "c");
        assertThat(related.get(0).score()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void itemCapKeepsOnlyTheMostPopularItemsInTheMatrix() {
        UserHistories data = toy();
        TrainedModel model = TrainedModel.train(Recipe.USER_PERSONALIZATION, new Hyperparameters(1.0, 1, 10, 10), data, 1);
        EaseScorer b = (EaseScorer) model.scorer();
        assertThat(b.weight(data.itemIndex("a"), data.itemIndex("b"))).isZero();
        // Without a learned score the answer is popularity order.
        assertThat(model.recommend(new int[] {data.itemIndex("a")}, 2)).extracting(ModelScore::itemId).containsExactly("b", "c");
    }
}
