package dev.recsys.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.fallback.PopularItems;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.GuardedRecommenderTestAccess;
import dev.recsys.api.support.TestApi;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceFallbackTest {

    @Test
    void failingModelServesThePopularListAndSaysWhy() {
        try (TestApi api = new TestApi(Map.of())) {
            api.model.fail(GuardedRecommenderTestAccess.serverError(503));
            JsonNode body = TestApi.body(api.invoke(Events.get("/users/u1/recommendations").query("limit", "3")));
            assertThat(body.get("source").asText()).isEqualTo("fallback");
            assertThat(body.get("fallback_reason").asText()).isEqualTo("backend_5xx");
            assertThat(body.get("items").findValuesAsText("item_id")).containsExactly("pop-1", "pop-2", "pop-3");
            assertThat(body.get("recommendation_id").asText()).as("fallback answers are exposures too").startsWith("rec-");
            assertThat(body.has("model_recommendation_id")).as("no model answered").isFalse();
            assertThat(body.get("variant").asText()).isIn("a", "b");
            assertThat(api.metrics.last("FallbackCause").dimensions()).containsEntry("FallbackCause", "backend_5xx");
        }
    }

    @Test
    void slowModelFallsBackWithinTheTimeout() {
        try (TestApi api = new TestApi(Map.of("RECSYS_PERSONALIZE_TIMEOUT_MS", "80"))) {
            api.model.delay(1_000);
            long start = System.nanoTime();
            JsonNode body = TestApi.body(api.invoke(Events.get("/users/u1/recommendations")));
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(600);
            assertThat(body.get("fallback_reason").asText()).isEqualTo("timeout");
        }
    }

    @Test
    void unknownUsersGetTheFallbackWithoutCallingTheModel() {
        try (TestApi api = new TestApi(Map.of(), () -> null, userId -> !userId.startsWith("new-"))) {
            JsonNode cold = TestApi.body(api.invoke(Events.get("/users/new-1/recommendations")));
            assertThat(cold.get("fallback_reason").asText()).isEqualTo("cold_start");
            JsonNode ranked = TestApi.body(api.invoke(Events.post("/rankings", "{\"user_id\":\"new-2\",\"item_ids\":[\"zz\",\"pop-2\",\"pop-1\"]}")));
            assertThat(ranked.get("fallback_reason").asText()).isEqualTo("cold_start");
            assertThat(ranked.get("items").findValuesAsText("item_id")).containsExactly("pop-1", "pop-2", "zz");
            assertThat(api.model.calls()).isZero();
            assertThat(TestApi.body(api.invoke(Events.get("/users/known-1/recommendations"))).get("source").asText())
                    .isEqualTo("personalize");
        }
    }

    @Test
    void publishedListReplacesTheStaticOneAndExcludesTheSeedItem() {
        byte[] doc = ("{\"generated_at\":\"2026-11-25T06:00:00Z\",\"model_version\":\"sv-9\",\"items\":["
                + "{\"item_id\":\"hot-1\",\"score\":9},{\"item_id\":\"hot-2\",\"score\":8},{\"item_id\":\"hot-3\",\"score\":7}]}")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> noSims = Map.of("RECSYS_SIMILAR_CAMPAIGN_ARN", "");
        try (TestApi api = new TestApi(noSims, () -> doc, u -> true)) {
            JsonNode sim = TestApi.body(api.invoke(Events.get("/items/hot-1/similar").query("limit", "2")));
            assertThat(sim.get("fallback_reason").asText()).isEqualTo("no_campaign");
            assertThat(sim.get("model_version").asText()).isEqualTo("sv-9");
            assertThat(sim.get("items").findValuesAsText("item_id")).containsExactly("hot-2", "hot-3");
        }
    }

    @Test
    void rankByPopularityKeepsUnknownItemsInCallerOrder() {
        PopularItems p = PopularItems.staticList(List.of("a", "b", "c"));
        assertThat(RecommendationService.rankByPopularity(List.of("x", "c", "y", "a", "x"), p))
                .extracting(ScoredItem::itemId).containsExactly("a", "c", "x", "y");
    }
}
