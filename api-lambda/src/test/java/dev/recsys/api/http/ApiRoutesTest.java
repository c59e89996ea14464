package dev.recsys.api.http;

import dev.recsys.api.json.Json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiRoutesTest {

    private final TestApi api = new TestApi(Map.of());

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void aRealGatewayEventIsAnsweredWithVariantVersionAndRecommendationId() throws Exception {
        String event = new String(getClass().getResourceAsStream("/events/get-user-recommendations.json").readAllBytes(),
                StandardCharsets.UTF_8);
        ProxyResponse r = api.invokeRaw(event);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("X-Request-Id", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        JsonNode body = TestApi.body(r);
        assertThat(body.get("user_id").asText()).isEqualTo("u-42");
        assertThat(body.get("items")).hasSize(5);
        assertThat(body.get("items").get(0).get("item_id").asText()).isEqualTo("rec-u-42-item-0");
        assertThat(body.get("variant").asText()).isIn("a", "b");
        assertThat(body.get("campaign_arn").asText()).isIn(TestApi.CAMPAIGN_A, TestApi.CAMPAIGN_B);
        assertThat(body.get("model_version").asText()).isEqualTo("static");
        assertThat(body.get("recommendation_id").asText()).as("an id of its own per answer").matches("rec-[0-9a-f-]{36}");
        assertThat(body.get("model_recommendation_id").asText()).startsWith("rec-u-42-");
        assertThat(body.get("source").asText()).isEqualTo("personalize");
        assertThat(body.has("fallback_reason")).isFalse();
        assertThat(body.get("cached").asBoolean()).isFalse();
    }

    @Test
    void seedContractPostRecommendationsIsKept() {
        ProxyResponse r = api.invoke(Events.post("/recommendations", "{\"user_id\":\"u1\",\"num_results\":3}"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestApi.body(r).get("items")).hasSize(3);

        ProxyResponse dflt = api.invoke(Events.post("/recommendations", "{\"user_id\":\"u1\"}"));
        assertThat(TestApi.body(dflt).get("items")).hasSize(Requests.DEFAULT_LIMIT);
    }

    @Test
    void sameUserAlwaysGetsTheSameVariant() {
        String first = TestApi.body(api.invoke(Events.get("/users/sticky-1/recommendations"))).get("variant").asText();
        for (int i = 0; i < 20; i++) {
            assertThat(TestApi.body(api.invoke(Events.get("/users/sticky-1/recommendations"))).get("variant").asText())
                    .isEqualTo(first);
        }
    }

    @Test
    void similarItemsAndRankings() {
        JsonNode sim = TestApi.body(api.invoke(Events.get("/items/i-9/similar").query("limit", "4")));
        assertThat(sim.get("item_id").asText()).isEqualTo("i-9");
        assertThat(sim.get("items")).hasSize(4);
        assertThat(sim.get("variant").asText()).isEqualTo("similar");
        assertThat(sim.get("campaign_arn").asText()).isEqualTo(TestApi.SIMS);

        JsonNode ranked = TestApi.body(api.invoke(Events.post("/rankings", "{\"user_id\":\"u1\",\"item_ids\":[\"x\",\"y\",\"z\"]}")));
        assertThat(ranked.get("items").findValuesAsText("item_id")).containsExactly("z", "y", "x");
        assertThat(ranked.get("variant").asText()).isEqualTo("ranking");
        assertThat(ranked.get("source").asText()).isEqualTo("personalize");
    }

    @Test
    void healthReportsBreakerCacheAndFallbackList() {
        ProxyResponse r = api.invoke(Events.get("/health"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode h = TestApi.body(r);
        assertThat(h.get("status").asText()).isEqualTo("ok");
        assertThat(h.get("breaker").asText()).isEqualTo("CLOSED");
        assertThat(h.get("cache").asText()).isEqualTo("disabled");
        assertThat(h.get("fallback_items").asInt()).isEqualTo(12);
    }

    @Test
    void filterNamesMapToConfiguredFiltersOnly() {
        assertThat(api.invoke(Events.get("/users/u1/recommendations").query("filter", "unseen")).statusCode()).isEqualTo(200);
        ProxyResponse unknown = api.invoke(Events.get("/users/u1/recommendations").query("filter", "nope"));
        assertError(unknown, 400, "unknown_filter");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET|/nowhere|404|not_found",
            "GET|/users/u1|404|not_found",
            "DELETE|/users/u1/recommendations|405|method_not_allowed",
            "GET|/recommendations|405|method_not_allowed",
            "POST|/health|405|method_not_allowed",
            "GET|/users/%ZZ/recommendations|400|invalid_path",
            "GET|/users/bad%20id/recommendations|400|invalid_user_id",
            "GET|/items/-starts-with-dash/similar|400|invalid_item_id",
            "GET|no-leading-slash|400|invalid_path",
    })
    void routingErrors(String method, String path, int status, String code) {
        assertError(api.invoke(Events.of(method, path)), status, code);
    }

    @Test
    void methodNotAllowedNamesTheAllowedMethod() {
        ProxyResponse r = api.invoke(Events.of("PUT", "/rankings"));
        assertThat(r.headers()).containsEntry("Allow", "POST, OPTIONS");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0", "101", "-1", "abc", "1.5", "99999999999"})
    void limitOutsideOneToHundredIsRejected(String limit) {
        assertError(api.invoke(Events.get("/users/u1/recommendations").query("limit", limit)), 400, "invalid_limit");
        assertError(api.invoke(Events.get("/items/i1/similar").query("limit", limit)), 400, "invalid_limit");
    }

    @Test
    void repeatedQueryParameterIsAmbiguous() {
        assertError(api.invoke(Events.get("/users/u1/recommendations").repeatedQuery("limit", "1", "2")), 400, "invalid_limit");
    }

    @Test
    void idLengthIsBounded() {
        String longId = "u".repeat(129);
        assertError(api.invoke(Events.get("/users/" + longId + "/recommendations")), 400, "invalid_user_id");
        assertThat(api.invoke(Events.get("/users/" + "u".repeat(128) + "/recommendations")).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json|400|malformed_json",
            "[1,2]|400|invalid_body",
            "\"str\"|400|invalid_body",
            "{}|400|missing_user_id",
            "{\"user_id\":7}|400|invalid_user_id",
            "{\"user_id\":\"a b\"}|400|invalid_user_id",
            "{\"user_id\":\"u1\",\"num_results\":0}|400|invalid_num_results",
            "{\"user_id\":\"u1\",\"num_results\":101}|400|invalid_num_results",
            "{\"user_id\":\"u1\",\"num_results\":\"5\"}|400|invalid_num_results",
            "{\"user_id\":\"u1\",\"num_results\":2.5}|400|invalid_num_results",
            "{\"user_id\":\"u1\",\"num_results\":1e40}|400|invalid_num_results",
    })
    void recommendationBodyValidation(String body, int status, String code) {
        assertError(api.invoke(Events.post("/recommendations", body)), status, code);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"user_id\":\"u1\"}|missing_item_ids",
            "{\"user_id\":\"u1\",\"item_ids\":[]}|invalid_item_ids",
            "{\"user_id\":\"u1\",\"item_ids\":\"x\"}|invalid_item_ids",
            "{\"user_id\":\"u1\",\"item_ids\":[1]}|invalid_item_ids",
            "{\"user_id\":\"u1\",\"item_ids\":[\"ok\",\"not ok\"]}|invalid_item_id",
    })
    void rankingBodyValidation(String body, String code) {
        assertError(api.invoke(Events.post("/rankings", body)), 400, code);
    }

    @Test
    void tooManyRankingItems() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 501; i++) {
            ids.append(i == 0 ? "" : ",").append("\"i").append(i).append('"');
        }
        assertError(api.invoke(Events.post("/rankings", "{\"user_id\":\"u1\",\"item_ids\":[" + ids + "]}")), 400,
                "invalid_item_ids");
    }

    @Test
    void contentTypeAndSize() {
        assertError(api.invoke(Events.of("POST", "/recommendations").body("{\"user_id\":\"u1\"}")), 415, "unsupported_media_type");
        assertError(api.invoke(Events.of("POST", "/recommendations").header("Content-Type", "text/plain").body("{}")),
                415, "unsupported_media_type");
        assertThat(api.invoke(Events.of("POST", "/recommendations").header("content-type", "application/json; charset=utf-8")
                .body("{\"user_id\":\"u1\"}")).statusCode()).isEqualTo(200);
        String huge = "{\"user_id\":\"u1\",\"pad\":\"" + "x".repeat(20_000) + "\"}";
        assertError(api.invoke(Events.post("/recommendations", huge)), 413, "payload_too_large");
        assertError(api.invoke(Events.post("/recommendations", "")), 400, "missing_body");
    }

    @Test
    void base64BodiesAreDecoded() {
        String b64 = Base64.getEncoder().encodeToString("{\"user_id\":\"u1\",\"num_results\":2}".getBytes(StandardCharsets.UTF_8));
        ProxyResponse r = api.invoke(Events.post("/recommendations", b64).base64());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(TestApi.body(r).get("items")).hasSize(2);
        assertError(api.invoke(Events.post("/recommendations", "!!!notbase64").base64()), 400, "malformed_body");
    }

    @Test
    void corsForConfiguredOriginsOnly() {
        ProxyResponse allowed = api.invoke(Events.get("/users/u1/recommendations").header("Origin", "https://shop.example.com"));
        assertThat(allowed.headers()).containsEntry("Access-Control-Allow-Origin", "https://shop.example.com");
        ProxyResponse other = api.invoke(Events.get("/users/u1/recommendations").header("Origin", "https://evil.example"));
        assertThat(other.headers()).doesNotContainKey("Access-Control-Allow-Origin");

        ProxyResponse preflight = api.invoke(Events.of("OPTIONS", "/rankings").header("Origin", "https://shop.example.com"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers()).containsEntry("Access-Control-Allow-Methods", "POST, OPTIONS");
        assertThat(preflight.headers().get("Access-Control-Allow-Headers").toLowerCase().split(", "))
                .as("a browser may send the bearer token and the API key").contains("authorization", "x-api-key", "content-type");
        ProxyResponse errorWithCors = api.invoke(Events.get("/users/%20/recommendations").header("Origin", "https://shop.example.com"));
        assertThat(errorWithCors.headers()).containsEntry("Access-Control-Allow-Origin", "https://shop.example.com");
    }

    @Test
    void anEventThatIsNotAProxyEventIsA400() {
        ProxyResponse r = api.invokeRaw("this is not json");
        assertError(r, 400, "invalid_event");
        assertError(api.invokeRaw("{\"httpMethod\":\"GET\"}"), 400, "invalid_path");
    }

    @Test
    void everyRequestReportsItsMetricsByRouteTemplateVariantAndBreaker() {
        api.metrics.flushed.clear();
        api.invoke(Events.get("/users/u-emf/recommendations"));
        var byRoute = api.metrics.last("Route");
        assertThat(byRoute.namespace()).isEqualTo("recsys/api");
        assertThat(byRoute.dimensions()).containsExactly(java.util.Map.entry("Route", "/users/{userId}/recommendations"));
        assertThat(byRoute.metric("Latency")).isPositive();
        assertThat(byRoute.metric("Requests")).isEqualTo(1);
        assertThat(byRoute.metric("ClientErrors")).isZero();
        assertThat(byRoute.metadata()).containsEntry("status", 200).containsKey("request_id").containsEntry("breaker_state", "CLOSED");
        assertThat(api.metrics.last("Variant").dimensions().get("Variant")).isIn("a", "b");
        assertThat(api.metrics.last("Variant").metric("VariantExposure")).isEqualTo(1);
        assertThat(byRoute.metric("BreakerOpen")).isZero();
        assertThat(api.metrics.by("FallbackCause")).as("a model answer").isEmpty();
        assertThat(api.metrics.flushed).as("one document per dimension set").hasSize(2);

        api.invoke(Events.get("/users/u1/recommendations").query("limit", "0"));
        assertThat(api.metrics.last("Route").metric("ClientErrors")).isEqualTo(1);
    }

    static void assertError(ProxyResponse r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode err = TestApi.body(r).get("error");
        assertThat(err.get("code").asText()).isEqualTo(code);
        assertThat(err.get("message").asText()).isNotBlank();
        assertThat(err.get("request_id").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("at dev.").doesNotContain("Exception");
    }

    @Test
    void exposuresNameTheRoutesByTheTemplatesTheRouterServes() {
        assertThat(Route.USER_RECOMMENDATIONS.template()).isEqualTo(dev.recsys.common.event.Exposure.USER_RECOMMENDATIONS);
        assertThat(Route.RECOMMEND.template()).isEqualTo(dev.recsys.common.event.Exposure.RECOMMEND);
        assertThat(Route.SIMILAR_ITEMS.template()).isEqualTo(dev.recsys.common.event.Exposure.SIMILAR_ITEMS);
        assertThat(Route.RANKINGS.template()).isEqualTo(dev.recsys.common.event.Exposure.RANKINGS);
    }
}
