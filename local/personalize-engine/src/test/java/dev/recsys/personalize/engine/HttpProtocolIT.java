package dev.recsys.personalize.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed requests from clients other than the SDK get typed 4xx JSON errors, never a 5xx or a stack trace. */
@WithLocalStack(services = Service.S3)
class HttpProtocolIT {

    static PersonalizeEngine engine;
    @TempDir
    static Path stateDir;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start(LocalStack stack) throws Exception {
        stack.createBucket("protocol-it");
        engine = PersonalizeEngine.start(EngineFixture.config(stack.endpoints(), stateDir, "protocol-it"));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static HttpResponse<String> post(String path, String target, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(engine.endpoint().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) b.header("X-Amz-Target", target);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> r, int status, String type) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("__type").asText()).isEqualTo(type);
        assertThat(body.path("message").asText()).isNotBlank().doesNotContain("at dev.recsys");
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).contains(type);
    }

    @Test
    void badBodiesAndUnknownOperationsAreTypedClientErrors() throws Exception {
        assertError(post("/", "AmazonPersonalize.CreateDatasetGroup", "{not json"), 400, "SerializationException");
        assertError(post("/", "AmazonPersonalize.CreateDatasetGroup", "[1,2]"), 400, "SerializationException");
        assertError(post("/", "AmazonPersonalize.CreateDatasetGroup", "{}"), 400, "InvalidInputException");
        assertError(post("/", "AmazonPersonalize.DoSomethingElse", "{}"), 400, "UnknownOperationException");
        assertError(post("/", null, "{}"), 400, "UnknownOperationException");
        assertError(post("/nowhere", null, "{}"), 400, "UnknownOperationException");
        assertError(post("/recommendations", null, "{\"campaignArn\": 42}"), 400, "InvalidInputException");
        assertError(post("/recommendations", null, "{\"campaignArn\": \"arn:aws:personalize:us-east-1:000000000000:campaign/x\", \"userId\": \"u\"}"),
                404, "ResourceNotFoundException");
        assertError(post("/events", null, "{\"trackingId\": \"t\", \"sessionId\": \"s\", \"eventList\": [{\"eventType\": \"click\"}]}"),
                400, "InvalidInputException");
        assertError(post("/events", null, "x".repeat((1 << 20) + 10)), 400, "InvalidInputException");
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(engine.endpoint().resolve("/recommendations")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(get, 400, "UnknownOperationException");
    }

    @Test
    void healthAndControlPlaneContentType() throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(engine.endpoint().resolve("/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> list = post("/", "AmazonPersonalize.ListDatasetGroups", "{}");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.1");
        assertThat(JSON.readTree(list.body()).path("datasetGroups").isArray()).isTrue();
        assertThat(engine.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + engine.endpoint().getPort()));
    }
}
