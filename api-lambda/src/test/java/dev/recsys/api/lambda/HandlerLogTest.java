package dev.recsys.api.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.json.Json;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function's log as CloudWatch receives it: Powertools' JSON layout, the Lambda context on every line of an invocation. */
class HandlerLogTest {

    private static final UserHistory BROKEN = userId -> {
        throw new IllegalStateException("history store exploded");
    };

    @Test
    void anUnhandledErrorIsOneJsonLineWithTheRequestTheLambdaContextAndTheStack() throws Exception {
        try (TestApi api = new TestApi(Map.of(), () -> null, BROKEN)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String event = Events.get("/users/u1/recommendations").json();
            new ApiHandler(api.app()).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new FakeContext("aws-req-1"));
            JsonNode response = Json.MAPPER.readTree(out.toByteArray());
            assertThat(response.get("statusCode").asInt()).isEqualTo(500);
            String requestId = ((Map<?, ?>) Json.MAPPER.convertValue(response.get("headers"), Map.class)).get("X-Request-Id").toString();

            List<JsonNode> errors = api.lines.stream().map(HandlerLogTest::parse)
                    .filter(l -> l.path("message").asText().equals("unhandled error")).toList();
            assertThat(errors).hasSize(1);
            JsonNode line = errors.get(0);
            assertThat(line.get("level").asText()).isEqualTo("ERROR");
            assertThat(line.get("request_id").asText()).isEqualTo(requestId);
            assertThat(line.get("function_name").asText()).isEqualTo("recsys-test-api");
            assertThat(line.get("function_request_id").asText()).isEqualTo("aws-req-1");
            assertThat(line.get("error").get("name").asText()).isEqualTo(IllegalStateException.class.getName());
            assertThat(line.get("error").get("stack").asText()).contains("history store exploded");
        }
    }

    @Test
    void outsideAnInvocationTheLinesCarryNoLambdaContext() {
        try (TestApi api = new TestApi(Map.of(), () -> null, BROKEN)) {
            api.invoke(Events.get("/users/u2/recommendations"));
            JsonNode line = api.lines.stream().map(HandlerLogTest::parse)
                    .filter(l -> l.path("message").asText().equals("unhandled error")).findFirst().orElseThrow();
            assertThat(line.path("function_request_id").isMissingNode() || line.get("function_request_id").isNull())
                    .as("no context leaks from an earlier invocation: " + line).isTrue();
        }
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private record FakeContext(String requestId) implements Context {
        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/recsys-test-api"; }
        @Override public String getLogStreamName() { return "stream"; }
        @Override public String getFunctionName() { return "recsys-test-api"; }
        @Override public String getFunctionVersion() { return "7"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:recsys-test-api:live"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 10_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
