package dev.recsys.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.GuardedRecommenderTestAccess;
import dev.recsys.api.support.TestApi;
import dev.recsys.common.event.Exposure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every answer served is one exposure that says what was shown, to whom, under which arm. */
class ExposureRecordingTest {

    final List<Exposure> recorded = new CopyOnWriteArrayList<>();

    @Test
    void modelFallbackRankingAndRelatedAnswersAreAllExposures() {
        try (TestApi api = new TestApi(Map.of(), a -> a.withExposures(x -> recorded.add(x))
                .withItems(item -> !item.startsWith("new-")))) {
            JsonNode rec = TestApi.body(api.invoke(Events.get("/users/u1/recommendations").query("limit", "3")));
            Exposure x = recorded.get(0);
            assertThat(x.recommendationId()).isEqualTo(rec.get("recommendation_id").asText());
            assertThat(x.route()).isEqualTo(Exposure.USER_RECOMMENDATIONS);
            assertThat(x.experiment()).isEqualTo("recs-ab-1");
            assertThat(x.variant()).isEqualTo(rec.get("variant").asText());
            assertThat(x.campaignArn()).isEqualTo(rec.get("campaign_arn").asText());
            assertThat(x.modelRecommendationId()).isEqualTo(rec.get("model_recommendation_id").asText());
            assertThat(x.source()).isEqualTo("personalize");
            assertThat(x.userId()).isEqualTo("u1");
            assertThat(x.items()).containsExactly("rec-u1-item-0", "rec-u1-item-1", "rec-u1-item-2");

            api.invoke(Events.post("/recommendations", "{\"user_id\":\"u1\",\"num_results\":3}"));
            assertThat(recorded.get(1).route()).isEqualTo(Exposure.RECOMMEND);

            api.invoke(Events.get("/items/i-9/similar").query("limit", "2").query("user_id", "u2"));
            Exposure similar = recorded.get(2);
            assertThat(similar.route()).isEqualTo(Exposure.SIMILAR_ITEMS);
            assertThat(similar.variant()).isEqualTo("similar");
            assertThat(similar.userId()).isEqualTo("u2");
            assertThat(similar.itemId()).isEqualTo("i-9");

            JsonNode unknown = TestApi.body(api.invoke(Events.get("/items/new-1/similar")));
            assertThat(unknown.get("fallback_reason").asText()).isEqualTo("unknown_item");
            assertThat(recorded.get(3).source()).isEqualTo("fallback");
            assertThat(recorded.get(3).fallbackReason()).isEqualTo("unknown_item");
            assertThat(recorded.get(3).userId()).as("anonymous").isNull();

            api.invoke(Events.post("/rankings", "{\"user_id\":\"u1\",\"item_ids\":[\"x\",\"y\"]}"));
            assertThat(recorded.get(4).route()).isEqualTo(Exposure.RANKINGS);
            assertThat(recorded.get(4).items()).containsExactly("y", "x");

            api.model.fail(GuardedRecommenderTestAccess.serverError(503));
            api.invoke(Events.get("/users/u3/recommendations"));
            assertThat(recorded.get(5).source()).isEqualTo("fallback");
            assertThat(recorded.get(5).fallbackReason()).isEqualTo("backend_5xx");
            assertThat(recorded).extracting(Exposure::recommendationId).doesNotHaveDuplicates();
        }
    }

    @Test
    void aDroppedExposureNeverFailsTheAnswerAndIsCounted() {
        try (TestApi api = new TestApi(Map.of(), a -> a.withExposures(x -> false))) {
            var r = api.invoke(Events.get("/users/u1/recommendations"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(api.metrics.last("Route").metric("ExposureDropped")).isEqualTo(1);
        }
        try (TestApi api = new TestApi(Map.of(), a -> a.withExposures(x -> {
            throw new IllegalStateException("a broken sink");
        }))) {
            assertThat(api.invoke(Events.get("/users/u1/recommendations")).statusCode()).as("even a sink that throws").isEqualTo(200);
        }
    }
}
