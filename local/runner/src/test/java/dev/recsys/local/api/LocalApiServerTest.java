package dev.recsys.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.core.ModelRequest;
import dev.recsys.api.core.Recommendation;
import dev.recsys.api.core.Recommender;
import dev.recsys.api.core.ScoredItem;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.json.Json;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.api.core.RequestLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalApiServerTest {

    private static final String CAMPAIGN = "arn:aws:personalize:us-east-1:000000000000:campaign/local";

    /** A deterministic in-process model: the adapter is under test here, not the model. */
    static final Recommender ECHO = new Recommender() {
        @Override
        public Recommendation recommend(ModelRequest r) {
            return r.itemId() != null
                    ? new Recommendation(List.of(new ScoredItem("like-" + r.itemId(), 1.0)), "rid-" + r.itemId())
                    : new Recommendation(List.of(new ScoredItem("for-" + r.userId(), 1.0)), "rid-" + r.userId());
        }

        @Override
        public Recommendation rank(ModelRequest r, List<String> itemIds) {
            return new Recommendation(itemIds.stream().map(i -> new ScoredItem(i, null)).toList(), "rid-rank");
        }
    };

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<JsonNode> lastEvent = new AtomicReference<>();
    private ApiApplication app;
    private LocalApiServer server;

    private RequestStreamHandler recordingHandler() {
        app = ApiApplication.create(ApiConfig.fromEnvironment(Map.of(
                        "RECSYS_CAMPAIGN_ARN", CAMPAIGN, "RECSYS_FALLBACK_STATIC_ITEMS", "p1,p2", "RECSYS_AUTH_MODE", "none")),
                ECHO, () -> null, UserHistory.ASSUME_KNOWN, RequestLog.NONE);
        ApiHandler api = new ApiHandler(app);
        return (in, out, ctx) -> {
            byte[] event = in.readAllBytes();
            lastEvent.set(Json.MAPPER.readTree(event));
            api.handleRequest(new java.io.ByteArrayInputStream(event), out, ctx);
        };
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI at(String path) {
        return URI.create(server.uri() + path);
    }

    @Test
    void requestsBecomeRealProxyEventsForTheSameHandler() throws Exception {
        server = LocalApiServer.start(0, recordingHandler());
        assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");

        HttpResponse<String> r = send(HttpRequest.newBuilder(at("/users/a%2Fb/recommendations?limit=3&limit=3x&x=1"))
                .header("Accept", "application/json"));
        JsonNode event = lastEvent.get();
        assertThat(event.get("resource").asText()).isEqualTo("/users/{userId}/recommendations");
        assertThat(event.get("path").asText()).isEqualTo("/users/a%2Fb/recommendations");
        assertThat(event.get("httpMethod").asText()).isEqualTo("GET");
        assertThat(event.at("/pathParameters/userId").asText()).isEqualTo("a/b");
        assertThat(event.at("/queryStringParameters/x").asText()).isEqualTo("1");
        assertThat(event.at("/multiValueQueryStringParameters/limit").toString()).isEqualTo("[\"3\",\"3x\"]");
        assertThat(event.at("/requestContext/stage").asText()).isEqualTo("local");
        assertThat(event.at("/requestContext/resourcePath").asText()).isEqualTo("/users/{userId}/recommendations");
        assertThat(event.at("/requestContext/identity/sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
        // a repeated limit is ambiguous: the API's typed 400 comes back through the adapter
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("X-Request-Id")).isEqualTo(r.headers().firstValue("x-amzn-RequestId"));

        HttpResponse<String> ok = send(HttpRequest.newBuilder(at("/users/a%2Fb/recommendations?limit=3")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = Json.MAPPER.readTree(ok.body());
        assertThat(body.get("user_id").asText()).isEqualTo("a/b");
        assertThat(body.get("model_recommendation_id").asText()).isEqualTo("rid-a/b");
        assertThat(body.get("variant").asText()).isEqualTo("default");
    }

    @Test
    void postBodiesAndErrorsPassThrough() throws Exception {
        server = LocalApiServer.start(0, recordingHandler());
        HttpResponse<String> ok = send(HttpRequest.newBuilder(at("/recommendations")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"u1\",\"num_results\":1}")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(lastEvent.get().get("body").asText()).isEqualTo("{\"user_id\":\"u1\",\"num_results\":1}");
        assertThat(lastEvent.get().get("resource").asText()).isEqualTo("/recommendations");

        HttpResponse<String> binary = send(HttpRequest.newBuilder(at("/recommendations")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00})));
        assertThat(lastEvent.get().get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(binary.statusCode()).isEqualTo(400);

        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(at("/health")).DELETE());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, OPTIONS");
        assertThat(Json.MAPPER.readTree(wrongMethod.body()).at("/error/code").asText()).isEqualTo("method_not_allowed");

        HttpResponse<String> unknown = send(HttpRequest.newBuilder(at("/nope/x")));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(lastEvent.get().get("resource").asText()).isEqualTo("/{proxy+}");
        assertThat(lastEvent.get().at("/pathParameters/proxy").asText()).isEqualTo("nope/x");

        HttpResponse<String> tooBig = send(HttpRequest.newBuilder(at("/recommendations")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[LocalApiOptions.MAX_PAYLOAD_BYTES + 1])));
        assertThat(tooBig.statusCode()).isEqualTo(413);
    }

    @Test
    void apiKeysAreCheckedLikeTheGateway() throws Exception {
        server = LocalApiServer.start(LocalApiOptions.open(0).withApiKeys(Set.of("k-1")), recordingHandler());
        HttpResponse<String> none = send(HttpRequest.newBuilder(at("/health")));
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(send(HttpRequest.newBuilder(at("/health")).header("x-api-key", "wrong")).statusCode()).isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(at("/health")).header("X-API-Key", "k-1")).statusCode()).isEqualTo(200);
        assertThat(lastEvent.get().at("/requestContext/identity/apiKey").asText()).isEqualTo("k-1");
    }

    @Test
    void throttlingAnswers429() throws Exception {
        server = LocalApiServer.start(LocalApiOptions.open(0).withRateLimit(0.5, 2), recordingHandler());
        assertThat(send(HttpRequest.newBuilder(at("/health"))).statusCode()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(at("/health"))).statusCode()).isEqualTo(200);
        HttpResponse<String> third = send(HttpRequest.newBuilder(at("/health")));
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
    }

    @Test
    void aCrashingIntegrationIsA502LikeTheGateway() throws Exception {
        server = LocalApiServer.start(0, (in, out, ctx) -> {
            throw new IllegalStateException("boom");
        });
        HttpResponse<String> r = send(HttpRequest.newBuilder(at("/health")));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("{\"message\":\"Internal server error\"}");
    }
}
