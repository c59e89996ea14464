package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PreparationManifest.PopularItem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployed ASL (rendered as Terraform renders it) executed by aws-local-stepfunctions, every Task state a Lambda
 * Invoke to a local endpoint served by the real {@link TrainingTasks} over an in-memory Personalize in which one kind of
 * job never finishes: each wait loop counts its status checks, fails the run with {@code <Stage>Timeout} at its limit
 * (small here) and the failure path still publishes to SNS before the Fail state.
 */
class PipelineExecutionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION = PipelineDefinitionTest.VARS.get("training_function_arn");
    private static final String SNS = "arn:aws:states:::sns:publish";
    private static final String GLUE = "arn:aws:states:::glue:startJobRun.sync";
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");
    private static final String BUCKET = PipelineDefinitionTest.VARS.get("data_bucket");

    /** The kind of Personalize resource that stays CREATE PENDING (by a fragment of its ARN). */
    private enum Hang {
        NOTHING(null), RESOURCES(":dataset-group/"), IMPORT(":dataset-import-job/"), TRAINING(":solution-version/"), CAMPAIGN(":campaign/");

        final String arnFragment;

        Hang(String arnFragment) {
            this.arnFragment = arnFragment;
        }
    }

    private record Execution(String status, JsonNode output, String error, String cause, List<String> states) {}

    @TempDir
    Path tmp;

    private final FakePersonalize personalize = new FakePersonalize();
    private final FakeS3 s3 = new FakeS3();
    private final List<JsonNode> published = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> actions = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private HttpServer server;
    private ExecutorService pool;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
        if (pool != null) pool.shutdownNow();
    }

    @Test
    void jobsThatFinishWithinTheirLimitsRunToSuccess() throws Exception {
        // The resources need exactly three checks here (group, then dataset/tracker/solutions, then ready): a loop
        // whose last allowed check finds the job ready goes on.
        Execution e = run(Hang.NOTHING, new StatusChecks(3, 3, 3, 3));

        assertThat(e.status()).as("%s: %s", e.error(), e.cause()).isEqualTo("SUCCEEDED");
        assertThat(e.output().at("/resources/checks").asInt()).isEqualTo(3);
        assertThat(e.output().at("/resources/maxChecks").asInt()).isEqualTo(3);
        assertThat(e.output().at("/importStatus/checks").asInt()).isEqualTo(1);
        assertThat(e.output().path("training")).isNotEmpty().allSatisfy(t -> assertThat(t.path("checks").asInt()).isEqualTo(1));
        assertThat(e.states()).contains("StartResourceChecks", "StartImportChecks", "NotifySuccess")
                .doesNotContain("ResourcesTimedOut", "ImportTimedOut", "TrainingTimedOut", "CampaignTimedOut", "NotifyFailure");
        assertThat(published).singleElement().satisfies(m -> assertThat(m.path("Subject").asText()).isEqualTo("recsys training run succeeded"));
    }

    @Test
    void resourcesThatNeverBecomeActiveTimeOutAfterTheirChecksAndTheFailureIsNotified() throws Exception {
        Execution e = run(Hang.RESOURCES, new StatusChecks(2, 3, 3, 3));

        String group = personalize.groups.keySet().iterator().next();
        assertFailedWith(e, "ResourcesTimeout", "Resources stage timed out", group, "after 2 status checks (the limit is 2)",
                "dataset group recsys is CREATE PENDING");
        assertThat(actions.get("ensureResources")).isEqualTo(2);
        assertThat(e.states()).contains("ResourcesTimedOut").doesNotContain("StartImport");
    }

    @Test
    void anImportThatHangsTimesOutAfterItsChecksAndTheFailureIsNotified() throws Exception {
        Execution e = run(Hang.IMPORT, new StatusChecks(5, 3, 5, 5));

        String job = personalize.imports.keySet().iterator().next();
        assertFailedWith(e, "ImportTimeout", "Import stage timed out: dataset import job " + job + " still CREATE PENDING",
                "after 3 status checks (the limit is 3)");
        assertThat(actions.get("describeImport")).isEqualTo(3);
        assertThat(e.states()).contains("ImportTimedOut").doesNotContain("TrainSolutions");
    }

    @Test
    void aTrainingThatHangsTimesOutAfterItsChecksAndTheFailureIsNotified() throws Exception {
        Execution e = run(Hang.TRAINING, new StatusChecks(5, 5, 2, 5));

        assertFailedWith(e, "TrainingTimeout", "Training stage timed out: solution version arn:aws:personalize:us-east-1:000000000000:solution-version/recsys-",
                "still CREATE PENDING after 2 status checks (the limit is 2)");
        assertThat(e.states()).contains("TrainingTimedOut", "TrainingTimeout").doesNotContain("Evaluate");
        assertThat(actions.get("evaluate")).isNull();
    }

    @Test
    void aCampaignThatHangsTimesOutAfterItsChecksAndTheFailureIsNotified() throws Exception {
        Execution e = run(Hang.CAMPAIGN, new StatusChecks(5, 5, 5, 2));

        assertFailedWith(e, "CampaignTimeout", "Campaign stage timed out: campaign arn:aws:personalize:us-east-1:000000000000:campaign/recsys-",
                "still CREATE PENDING after 2 status checks (the limit is 2)", "keeps serving the version it served before");
        assertThat(e.states()).contains("CampaignTimedOut", "CampaignTimeout").doesNotContain("PublishFallback");
        assertThat(actions.get("publishFallback")).isNull();
    }

    /** Failed through NotifyFailure: one SNS message naming the stage's error, then the Fail state with the same cause. */
    private void assertFailedWith(Execution e, String error, String... cause) {
        assertThat(e.status()).isEqualTo("FAILED");
        assertThat(e.error()).isEqualTo("TrainingRunFailed");
        assertThat(e.cause()).contains(cause);
        assertThat(e.states()).containsSubsequence("NotifyFailure", "RunFailed");
        assertThat(published).singleElement().satisfies(m -> {
            assertThat(m.path("TopicArn").asText()).isEqualTo(PipelineDefinitionTest.VARS.get("sns_topic_arn"));
            assertThat(m.path("Subject").asText()).isEqualTo("recsys training run failed");
            assertThat(m.path("Message").asText()).contains("Training run run-1 failed (" + error + "): ").contains(cause);
        });
    }

    // --- the execution ---

    private Execution run(Hang hang, StatusChecks limits) throws Exception {
        TrainingConfig config = new TrainingConfig("us-east-1", BUCKET, "recsys",
                SolutionPlan.withDefaults(List.of(new SolutionPlan.Variant("a", "arn:aws:personalize:::recipe/aws-user-personalization-v2"),
                        new SolutionPlan.Variant("b", "arn:aws:personalize:::recipe/aws-popularity-count"))),
                "arn:aws:iam::000000000000:role/import", 0.02, false, true, 3, 1, null, null, null, null, null, null, limits, FilterPlan.NONE);
        TrainingTasks tasks = new TrainingTasks(config, personalize, s3, null, Clock.systemUTC());
        startEndpoint(tasks, hang);

        ObjectNode job = JSON.createObjectNode();
        JsonNode definition = JSON.readTree(AslTemplate.render(AslTemplate.pipelineTemplate(), PipelineDefinitionTest.VARS));
        job.set("definition", definition);
        job.putObject("input");
        job.putObject("context").putObject("Execution").put("Name", "run-1")
                .put("Id", "arn:aws:states:us-east-1:123456789012:execution:recsys-training:run-1");
        collectOverrides(definition.path("States"), job.putObject("waitTimeOverrides"), job.putObject("retryIntervalOverrides"));
        Path jobFile = tmp.resolve("job.json");
        Files.write(jobFile, JSON.writeValueAsBytes(job));

        Path local = PipelineDefinitionTest.repoRoot().resolve("local");
        Path node = local.resolve("node_modules/.bin/node");
        Path library = local.resolve("node_modules/aws-local-stepfunctions/build/main.node.esm.js");
        assertThat(node).as("run `npm ci` in local/ first").isExecutable();
        Path driver = PipelineDefinitionTest.repoRoot().resolve("training-lambda/src/test/js/run-execution.mjs");
        ProcessBuilder pb = new ProcessBuilder(node.toString(), driver.toString(), library.toString(), jobFile.toString())
                .redirectError(tmp.resolve("driver.log").toFile());
        pb.environment().put("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:" + server.getAddress().getPort());
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_ACCESS_KEY_ID", "local");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        pb.redirectOutput(tmp.resolve("driver.out").toFile());
        Process p = pb.start();
        // A loop without a bound would spin until the execution's own 12 h timeout: give up long before.
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the execution did not end within 90 s (a wait loop that never stops?): "
                    + readQuietly(tmp.resolve("driver.log")));
        }
        String out = readQuietly(tmp.resolve("driver.out"));
        String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no result from the driver: " + out + readQuietly(tmp.resolve("driver.log"))));
        JsonNode r = JSON.readTree(last);
        List<String> states = new ArrayList<>();
        r.path("states").forEach(s -> states.add(s.asText()));
        return new Execution(r.path("status").asText(), r.get("output"), r.path("error").asText(null), r.path("cause").asText(null), states);
    }

    /** Waits and retry pauses shortened, nested states included (the definition is unchanged). */
    private static void collectOverrides(JsonNode states, ObjectNode waits, ObjectNode retries) {
        states.properties().forEach(s -> {
            if ("Wait".equals(s.getValue().path("Type").asText())) waits.put(s.getKey(), 1);
            if (s.getValue().has("Retry")) retries.put(s.getKey(), 1);
            collectOverrides(s.getValue().path("ItemProcessor").path("States"), waits, retries);
        });
    }

    /** The Lambda Invoke API as Lambda answers it: errors are HTTP 200 with X-Amz-Function-Error and the exception's class. */
    private void startEndpoint(TrainingTasks tasks, Hang hang) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            try (ex) {
                Matcher m = INVOKE.matcher(ex.getRequestURI().getRawPath());
                if (!m.matches()) {
                    send(ex, 404, JSON.createObjectNode().put("message", "no such API"));
                    return;
                }
                String function = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
                JsonNode input = JSON.readTree(ex.getRequestBody().readAllBytes());
                try {
                    send(ex, 200, invoke(tasks, hang, function, input));
                } catch (RuntimeException e) {
                    ex.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
                    send(ex, 200, JSON.createObjectNode().put("errorType", e.getClass().getName()).put("errorMessage", e.getMessage()));
                }
            }
        });
        server.start();
    }

    private JsonNode invoke(TrainingTasks tasks, Hang hang, String function, JsonNode input) {
        synchronized (lock) {
            if (function.equals(SNS)) {
                published.add(input);
                return JSON.createObjectNode().put("MessageId", "m-" + published.size());
            }
            if (function.equals(GLUE)) {
                String runId = input.path("Arguments").path("--run-id").asText();
                s3.objects.put(BUCKET + "/" + S3Layout.preparedManifestKey(runId), Manifests.of(runId, "SUCCEEDED", 1520, 13,
                        Map.of(), 1500, 60, 40, List.of(new PopularItem("item-1", 40), new PopularItem("item-2", 30))));
                return JSON.createObjectNode().put("Id", "jr_1").put("JobRunState", "SUCCEEDED");
            }
            assertThat(function).isEqualTo(FUNCTION);
            actions.merge(input.path("action").asText(), 1, Integer::sum);
            JsonNode out = tasks.handle(input);
            // Every version trains to the same metrics: not below the baseline, so every deployed solution is promoted.
            personalize.versions.keySet().forEach(v -> personalize.metrics.putIfAbsent(v,
                    Map.of(QualityGate.NDCG_AT_10, 0.2, QualityGate.PRECISION_AT_10, 0.05)));
            // Between two checks Personalize moves every job on, but the hanging kind.
            personalize.activateWhere(arn -> hang.arnFragment == null || !arn.contains(hang.arnFragment));
            return out;
        }
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(bytes);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
