package dev.recsys.personalize.engine.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.personalize.engine.data.Interactions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trending-Now ranks what is rising, not what is big: a planted rising item beats a stale hit. */
class TrendingScorerTest {

    static final long DAY = 86_400;

    @Test
    void aPlantedRisingItemRanksAboveAStalePopularOne() throws Exception {
        Interactions.Builder b = Interactions.builder();
        int user = 0;
        // 10 days of data: the stale hit has 300 interactions in days 0-5, and 5 a day after; the riser 1 a day,
        // then 40 on the last day; steady items 10 a day throughout.
        for (long day = 0; day < 10; day++) {
            int hits = day < 6 ? 50 : 5;
            for (int i = 0; i < hits; i++) b.add("u" + user++, "stale-hit", day * DAY + i, "view", Float.NaN);
            int rising = day == 9 ? 40 : 1;
            for (int i = 0; i < rising; i++) b.add("u" + user++, "riser", day * DAY + 100 + i, "view", Float.NaN);
            for (String steady : List.of("steady-1", "steady-2", "steady-3")) {
                for (int i = 0; i < 10; i++) b.add("u" + user++, steady, day * DAY + 200 + i, "view", Float.NaN);
            }
        }
        Interactions data = b.build();
        TrainedModel model = TrainedModel.train(Recipe.TRENDING_NOW, Hyperparameters.DEFAULTS, data, 1);
        List<String> top = model.recommend(new int[0], 5).stream().map(ModelScore::itemId).toList();
        assertThat(top.get(0)).isEqualTo("riser");
        assertThat(top).contains("stale-hit"); // ranked, but below the riser although it has 8 times as many interactions
        // popularity, the yardstick, says the opposite
        TrainedModel popularity = TrainedModel.train(Recipe.POPULARITY, Hyperparameters.DEFAULTS, data, 1);
        assertThat(popularity.recommend(new int[0], 1).get(0).itemId()).isEqualTo("stale-hit");

        // the model survives its codec
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelCodec.write(model, bytes);
        TrainedModel read = ModelCodec.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(read.recommend(new int[0], 5).stream().map(ModelScore::itemId).toList()).isEqualTo(top);
    }
}
