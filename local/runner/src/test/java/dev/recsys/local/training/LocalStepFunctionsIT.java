package dev.recsys.local.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.training.ResourceFailedException;
import dev.recsys.training.TransientAwsException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aws-local-stepfunctions (Node 22) driving our Lambda Invoke endpoint: dispatch, Retry, Catch, waits, errors. */
class LocalStepFunctionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WORK = "arn:aws:lambda:us-east-1:000000000000:function:work";
    private static final String DEFINITION = """
            {"StartAt":"Work","States":{
             "Work":{"Type":"Task","Resource":"%s","Parameters":{"action.$":"$.action"},"ResultPath":"$.work",
               "Retry":[{"ErrorEquals":["dev.recsys.training.TransientAwsException"],"IntervalSeconds":30,"MaxAttempts":3,"BackoffRate":2}],
               "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Notify"}],"Next":"Pause"},
             "Pause":{"Type":"Wait","Seconds":3600,"Next":"Fan"},
             "Fan":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"Inner","States":{
                 "Inner":{"Type":"Wait","Seconds":3600,"Next":"Done"},"Done":{"Type":"Pass","End":true}}},
               "ResultPath":"$.fan","End":true},
             "Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"arn:aws:sns:us-east-1:000000000000:t",
               "Message.$":"States.Format('run {} failed: {}', $$.Execution.Name, $.error.Cause)"},"ResultPath":null,"Next":"Failed"},
             "Failed":{"Type":"Fail","Error":"RunFailed","CausePath":"$.error.Cause"}}}
            """.formatted(WORK);

    @TempDir
    Path work;

    private final AtomicInteger calls = new AtomicInteger();
    private NotificationSink sink;
    private LambdaInvokeServer server;
    private StateMachineRunner runner;

    @BeforeEach
    void start() throws Exception {
        sink = new NotificationSink(work.resolve("notifications.log"), Clock.systemUTC());
        server = LambdaInvokeServer.start(Map.of(WORK, this::work, NotificationSink.RESOURCE, sink));
        runner = new StateMachineRunner(repoRoot().resolve("local"), work.resolve("exec"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode work(JsonNode input) {
        int n = calls.incrementAndGet();
        return switch (input.path("action").asText()) {
            case "flaky" -> {
                if (n == 1) throw new TransientAwsException("Rate exceeded", null);
                yield JSON.createObjectNode().put("attempt", n);
            }
            case "broken" -> throw new ResourceFailedException("dataset import job x is CREATE FAILED: bad CSV");
            default -> JSON.createObjectNode().put("attempt", n);
        };
    }

    @Test
    void retriesTransientErrorsAndShortensWaits() throws Exception {
        long t0 = System.nanoTime();
        StateMachineRunner.Execution e = runner.run(DEFINITION, JSON.readTree("{\"action\":\"flaky\",\"items\":[1,2,3]}"),
                "exec-ok", server.endpoint(), Duration.ofMillis(10),
                Duration.ofMillis(10), Duration.ofSeconds(60));

        assertThat(e.status()).as(e.cause()).isEqualTo("SUCCEEDED");
        assertThat(calls.get()).isEqualTo(2);
        assertThat(e.output().path("work").path("attempt").asInt()).isEqualTo(2);
        assertThat(e.output().path("fan")).hasSize(3);
        assertThat(e.states()).startsWith("Work").contains("Pause", "Fan");
        assertThat(sink.published()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void uncaughtTaskErrorsGoToTheCatchWithTheJavaErrorTypeAndCause() throws Exception {
        StateMachineRunner.Execution e = runner.run(DEFINITION, JSON.readTree("{\"action\":\"broken\",\"items\":[]}"),
                "exec-broken", server.endpoint(), Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofSeconds(60));

        assertThat(e.status()).isEqualTo("FAILED");
        assertThat(e.error()).isEqualTo("RunFailed");
        assertThat(e.cause()).contains("dev.recsys.training.ResourceFailedException").contains("bad CSV");
        assertThat(calls.get()).isEqualTo(1); // not a retryable type
        assertThat(e.states()).containsExactly("Work", "Notify", "Failed");
        assertThat(sink.published()).singleElement().satisfies(n -> {
            assertThat(n.message()).startsWith("run exec-broken failed: dev.recsys.training.ResourceFailedException");
            assertThat(n.topicArn()).endsWith(":t");
        });
        assertThat(sink.logFile()).content().contains("bad CSV");
    }

    @Test
    void invokeEndpointAnswersLikeLambda() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                URI.create(server.endpoint() + "/2015-03-31/functions/nope/invocations")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).contains("ResourceNotFoundException");

        String path = "/2015-03-31/functions/" + java.net.URLEncoder.encode(WORK, java.nio.charset.StandardCharsets.UTF_8) + "/invocations";
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString("{nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("x-amzn-ErrorType")).contains("InvalidRequestContentException");

        HttpResponse<String> failed = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"broken\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(failed.statusCode()).isEqualTo(200);
        assertThat(failed.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
        assertThat(JSON.readTree(failed.body()).path("errorType").asText()).isEqualTo("dev.recsys.training.ResourceFailedException");
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("recsys.repo.root", "../..")).toAbsolutePath().normalize();
    }
}
