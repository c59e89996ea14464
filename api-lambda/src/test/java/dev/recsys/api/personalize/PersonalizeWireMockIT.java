package dev.recsys.api.personalize;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.recsys.api.ApiApplication;
import dev.recsys.api.aws.ApiAwsClients;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.json.Json;
import dev.recsys.api.http.ProxyRequest;
import dev.recsys.api.http.ProxyResponse;
import dev.recsys.api.core.RequestLog;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The real SDK client (URL-connection HTTP) against WireMock speaking the Personalize runtime's
 * REST-JSON protocol: request shape, slow answers, 5xx storms, breaker open → half-open → closed.
 */
class PersonalizeWireMockIT {

    private static final String OK_BODY = "{\"itemList\":[{\"itemId\":\"w1\",\"score\":0.7},{\"itemId\":\"w2\",\"score\":0.2}],"
            + "\"recommendationId\":\"RID-1\"}";

    private static final String GENRE_FILTER = "arn:aws:personalize:us-east-1:123456789012:filter/in-genre";

    private WireMockServer wiremock;
    private ApiApplication app;

    @BeforeEach
    void start() {
        wiremock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(16));
        wiremock.start();
        Map<String, String> env = new HashMap<>(TestApi.baseEnv());
        env.put("RECSYS_PERSONALIZE_TIMEOUT_MS", "250");
        env.put("RECSYS_BREAKER_WINDOW", "6");
        env.put("RECSYS_BREAKER_MIN_CALLS", "6");
        env.put("RECSYS_BREAKER_OPEN_MS", "500");
        env.put("RECSYS_BREAKER_HALF_OPEN_CALLS", "2");
        env.put("RECSYS_FILTERS", "{\"unseen\":{\"arn\":\"" + TestApi.FILTER + "\",\"expression\":\"" + TestApi.UNSEEN_EXPRESSION + "\"},"
                + "\"in-genre\":{\"arn\":\"" + GENRE_FILTER + "\",\"expression\":\"INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)\"}}");
        env.put("RECSYS_ITEMS_TABLE", "recsys-items");
        env.put("RECSYS_PROMOTIONS", "[{\"name\":\"house\",\"filter\":\"in-genre\",\"percent\":20,"
                + "\"filter_values\":{\"GENRES\":[\"house\"]},\"routes\":[\"user_recommendations\"]}]");
        var endpoints = new ApiAwsClients.Endpoints(Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "localsecret")),
                URI.create(wiremock.baseUrl()), null, URI.create(wiremock.baseUrl()), null); // DynamoDB: answered 404, never AWS
        app = ApiApplication.create(ApiConfig.fromEnvironment(env), endpoints, RequestLog.NONE);
    }

    @AfterEach
    void stop() {
        app.close();
        wiremock.stop();
    }

    private JsonNode call(String userId) throws Exception {
        ProxyRequest req = Json.MAPPER.readValue(Events.get("/users/" + userId + "/recommendations").query("limit", "2").json(),
                ProxyRequest.class);
        ProxyResponse r = app.router().handle(req, UUID.randomUUID().toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private void answer(int status, int delayMs, String body) {
        wiremock.resetMappings();
        wiremock.stubFor(post(urlEqualTo("/recommendations"))
                .willReturn(aResponse().withStatus(status).withFixedDelay(delayMs)
                        .withHeader("Content-Type", "application/x-amz-json-1.1").withBody(body)));
    }

    @Test
    void sendsTheRuntimeRequestAndMapsTheAnswer() throws Exception {
        answer(200, 0, OK_BODY);
        JsonNode body = call("u-7");
        assertThat(body.get("source").asText()).isEqualTo("personalize");
        assertThat(body.get("model_recommendation_id").asText()).isEqualTo("RID-1");
        assertThat(body.get("items").findValuesAsText("item_id")).containsExactly("w1", "w2");
        wiremock.verify(postRequestedFor(urlEqualTo("/recommendations"))
                .withRequestBody(matchingJsonPath("$.userId", equalTo("u-7")))
                .withRequestBody(matchingJsonPath("$.numResults", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.campaignArn", equalTo(body.get("campaign_arn").asText())))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.containing("AWS4-HMAC-SHA256")));

        wiremock.stubFor(post(urlEqualTo("/personalize-ranking")).willReturn(aResponse().withStatus(200)
                .withBody("{\"personalizedRanking\":[{\"itemId\":\"b\",\"score\":0.9},{\"itemId\":\"a\",\"score\":0.1}],"
                        + "\"recommendationId\":\"RANK-1\"}")));
        ProxyRequest rank = Json.MAPPER.readValue(Events.post("/rankings", "{\"user_id\":\"u-7\",\"item_ids\":[\"a\",\"b\"]}").json(),
                ProxyRequest.class);
        JsonNode ranked = Json.MAPPER.readTree(app.router().handle(rank, "r1").body());
        assertThat(ranked.get("items").findValuesAsText("item_id")).containsExactly("b", "a");
        wiremock.verify(postRequestedFor(urlEqualTo("/personalize-ranking"))
                .withRequestBody(equalToJson("{\"campaignArn\":\"" + TestApi.RANKING + "\",\"userId\":\"u-7\",\"inputList\":[\"a\",\"b\"]}")));
    }

    @Test
    void passesFilterValuesMetadataColumnsAndThePromotionAndMapsWhatTheModelMarks() throws Exception {
        answer(200, 0, "{\"itemList\":[{\"itemId\":\"w1\",\"score\":0.7,\"metadata\":{\"genres\":\"comedy|drama\"}},"
                + "{\"itemId\":\"w2\",\"promotionName\":\"house\",\"reason\":[\"Promoted item\"]},"
                + "{\"itemId\":\"w3\",\"score\":0.1,\"reason\":[\"Exploration\"]}],\"recommendationId\":\"RID-2\"}");
        ProxyRequest req = Json.MAPPER.readValue(Events.get("/users/u-8/recommendations").query("limit", "3")
                .query("filter", "in-genre").query("filter_values", "{\"GENRES\":[\"comedy\",\"drama\"]}")
                .query("metadata_columns", "GENRES").json(), ProxyRequest.class);
        ProxyResponse r = app.router().handle(req, "f1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode items = Json.MAPPER.readTree(r.body()).get("items");
        assertThat(items.get(0).get("metadata").get("GENRES").asText()).as("under the name asked for").isEqualTo("comedy|drama");
        assertThat(items.get(1).get("promotion_name").asText()).isEqualTo("house");
        assertThat(items.get(2).get("exploration").asBoolean()).isTrue();
        assertThat(items.get(0).has("promotion_name")).isFalse();
        wiremock.verify(postRequestedFor(urlEqualTo("/recommendations"))
                .withRequestBody(matchingJsonPath("$.filterArn", equalTo(GENRE_FILTER)))
                .withRequestBody(matchingJsonPath("$.filterValues.GENRES", equalTo("\"comedy\",\"drama\"")))
                .withRequestBody(matchingJsonPath("$.metadataColumns.ITEMS[0]", equalTo("GENRES")))
                .withRequestBody(matchingJsonPath("$.promotions[0].name", equalTo("house")))
                .withRequestBody(matchingJsonPath("$.promotions[0].percentPromotedItems", equalTo("20")))
                .withRequestBody(matchingJsonPath("$.promotions[0].filterArn", equalTo(GENRE_FILTER)))
                .withRequestBody(matchingJsonPath("$.promotions[0].filterValues.GENRES", equalTo("\"house\""))));

        // Naming no filter, user recommendations get none here (no default configured): no filter fields, the promotion still.
        call("u-9");
        JsonNode sent = wiremock.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString()).map(b -> {
            try {
                return Json.MAPPER.readTree(b);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(b -> b.path("userId").asText().equals("u-9")).findFirst().orElseThrow();
        assertThat(sent.has("filterArn")).isFalse();
        assertThat(sent.has("filterValues")).isFalse();
        assertThat(sent.has("metadataColumns")).isFalse();
        assertThat(sent.path("promotions").path(0).path("name").asText()).isEqualTo("house");
    }

    @Test
    void slowPersonalizeFallsBackWithinTheTimeout() throws Exception {
        answer(200, 2_000, OK_BODY);
        long start = System.nanoTime();
        JsonNode body = call("u-slow");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(body.get("source").asText()).isEqualTo("fallback");
        assertThat(body.get("fallback_reason").asText()).isEqualTo("timeout");
        assertThat(ms).isBetween(240L, 1_000L);
    }

    @Test
    void repeatedServerErrorsOpenTheBreakerWhichRecoversThroughHalfOpen() throws Exception {
        answer(500, 0, "{\"__type\":\"InternalFailure\",\"message\":\"boom\"}");
        for (int i = 0; i < 6; i++) {
            assertThat(call("u-" + i).get("fallback_reason").asText()).isEqualTo("backend_5xx");
        }
        assertThat(health().get("breaker").asText()).isEqualTo("OPEN");
        assertThat(health().get("status").asText()).isEqualTo("degraded");
        int requestsWhenOpen = wiremock.getAllServeEvents().size();
        for (int i = 0; i < 5; i++) {
            assertThat(call("u-open-" + i).get("fallback_reason").asText()).isEqualTo("circuit_open");
        }
        assertThat(wiremock.getAllServeEvents()).as("an open breaker sends nothing").hasSize(requestsWhenOpen);

        answer(200, 0, OK_BODY);
        Thread.sleep(600);
        assertThat(call("u-probe-1").get("source").asText()).isEqualTo("personalize");
        assertThat(health().get("breaker").asText()).isEqualTo("HALF_OPEN");
        assertThat(call("u-probe-2").get("source").asText()).isEqualTo("personalize");
        assertThat(health().get("breaker").asText()).isEqualTo("CLOSED");
    }

    private JsonNode health() throws Exception {
        ProxyRequest req = Json.MAPPER.readValue(Events.get("/health").json(), ProxyRequest.class);
        return Json.MAPPER.readTree(app.router().handle(req, "h").body());
    }
}
