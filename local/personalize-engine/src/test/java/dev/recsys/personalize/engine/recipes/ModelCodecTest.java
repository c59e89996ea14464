package dev.recsys.personalize.engine.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.personalize.engine.data.Interactions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ModelCodecTest {

    @ParameterizedTest
    @EnumSource(Recipe.class)
    void aReloadedModelGivesTheSameAnswers(Recipe recipe) throws IOException {
        Interactions.Builder b = Interactions.builder();
        for (int u = 0; u < 60; u++) {
            for (int k = 0; k < 8; k++) b.add("u" + u, "i" + ((u * 7 + k * 3) % 40), k, "view", Float.NaN);
        }
        Interactions data = b.build();
        TrainedModel model = TrainedModel.train(recipe, new Hyperparameters(5, 30, 10, 50), data, 2);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelCodec.write(model, bytes);
        TrainedModel copy = ModelCodec.read(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(copy.recipe()).isEqualTo(recipe);
        assertThat(copy.hyperparameters()).isEqualTo(model.hyperparameters());
        for (String user : new String[] {"u0", "u17", "u59", "stranger"}) {
            assertThat(copy.recommend(copy.trainingHistory(user), 10)).isEqualTo(model.recommend(model.trainingHistory(user), 10));
        }
        assertThat(copy.related(model.data().itemIndex("i3"), new int[0], 5)).isEqualTo(model.related(model.data().itemIndex("i3"), new int[0], 5));
    }

    @Test
    void rejectsSomethingThatIsNotAModel() {
        assertThatThrownBy(() -> ModelCodec.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5})))
                .isInstanceOf(IOException.class).hasMessageContaining("not a model");
    }
}
