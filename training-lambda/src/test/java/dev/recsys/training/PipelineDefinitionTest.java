package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one ASL file Terraform deploys: renders like templatefile, passes asl-validator, has the safety nets. */
class PipelineDefinitionTest {

    static final Map<String, String> VARS = Map.of(
            "training_function_arn", "arn:aws:lambda:us-east-1:123456789012:function:recsys-training",
            "glue_job_name", "recsys-prepare-interactions",
            "sns_topic_arn", "arn:aws:sns:us-east-1:123456789012:recsys-training",
            "data_bucket", "recsys-data",
            "window_hours", "720",
            "include_event_value", "true");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void renderedDefinitionPassesAslValidator() throws Exception {
        Path def = tmp.resolve("pipeline.json");
        Files.writeString(def, AslTemplate.render(AslTemplate.pipelineTemplate(), VARS));
        Result r = validate(def);
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("is valid");
    }

    @Test
    void validatorRejectsABrokenDefinition() throws Exception {
        ObjectNode asl = (ObjectNode) JSON.readTree(AslTemplate.render(AslTemplate.pipelineTemplate(), VARS));
        ((ObjectNode) asl.path("States").path("Evaluate")).put("Next", "NoSuchState");
        Path def = tmp.resolve("broken.json");
        Files.writeString(def, JSON.writeValueAsString(asl));
        Result r = validate(def);
        assertThat(r.exitCode).as(r.output).isNotZero();
    }

    @Test
    void everyTaskRetriesAndEveryWorkStepFailsIntoNotifyFailure() throws Exception {
        JsonNode asl = JSON.readTree(AslTemplate.render(AslTemplate.pipelineTemplate(), VARS));
        assertThat(asl.path("StartAt").asText()).isEqualTo("PrepareData");
        List<String> order = List.of("PrepareData", "EnsureResources", "StartImport", "WaitForImport", "DescribeImport",
                "TrainSolutions", "Evaluate", "DecideExperiment", "UpdateCampaigns", "PublishFallback", "NotifySuccess", "NotifyFailure");
        JsonNode states = asl.path("States");
        for (String s : order) assertThat(states.has(s)).as(s).isTrue();

        for (Map.Entry<String, JsonNode> task : tasks(states).entrySet()) {
            assertThat(task.getValue().has("Retry")).as(task.getKey()).isTrue();
            assertThat(task.getValue().path("TimeoutSeconds").asInt()).as(task.getKey()).isPositive();
        }
        for (Map.Entry<String, JsonNode> e : states.properties()) {
            String type = e.getValue().path("Type").asText();
            boolean notification = e.getKey().startsWith("Notify");
            // The experiment decision is the one work step whose failure carries on (asserted below).
            boolean carriesOn = e.getKey().equals("DecideExperiment");
            if ((type.equals("Task") || type.equals("Map")) && !notification && !carriesOn) {
                assertThat(e.getValue().path("Catch").get(0).path("Next").asText()).as(e.getKey()).isEqualTo("NotifyFailure");
                assertThat(e.getValue().path("Catch").get(0).path("ErrorEquals").get(0).asText()).isEqualTo("States.ALL");
            }
        }
        // The Lambda error type of throttling is retried with backoff.
        JsonNode retry = states.path("EnsureResources").path("Retry").get(0);
        assertThat(retry.path("ErrorEquals").toString()).contains("dev.recsys.training.TransientAwsException",
                "Lambda.TooManyRequestsException");
        assertThat(retry.path("BackoffRate").asDouble()).isGreaterThan(1.0);
        assertThat(states.path("NotifyFailure").path("Parameters").path("Message.$").asText()).contains("$.error.Cause");
        assertThat(states.path("NotifyFailure").path("Next").asText()).isEqualTo("RunFailed");
        // Nothing before UpdateCampaigns touches a campaign: a refused gate goes straight to its notification.
        assertThat(states.path("AnyPromoted").path("Default").asText()).isEqualTo("NotifyRejected");
        assertThat(states.path("NotifyRejected").path("Next").asText()).isEqualTo("GateRejected");
        // A refusal succeeds (the training-failed alarm watches ExecutionsFailed): only NotifyFailure leads to a Fail state.
        assertThat(states.path("GateRejected").path("Type").asText()).isEqualTo("Succeed");
        states.properties().forEach(s -> {
            if (s.getValue().path("Type").asText().equals("Fail")) assertThat(s.getKey()).isEqualTo("RunFailed");
        });
        assertThat(asl.toString()).doesNotContain("${").doesNotContain("QueryLanguage");
        // aws-local-stepfunctions 3.0.0 stores a result under a key named "$" for an explicit ResultPath "$":
        // rely on the default (whole result) instead.
        assertThat(asl.toString()).doesNotContain("\"ResultPath\":\"$\"");
    }

    @Test
    void everySolutionIsTrainedEvaluatedAndDeployedThroughTheSameStates() throws Exception {
        JsonNode states = JSON.readTree(AslTemplate.render(AslTemplate.pipelineTemplate(), VARS)).path("States");
        // One Map over ensureResources' solutions (A/B variants, similar, ranking, baseline), all gated together.
        JsonNode train = states.path("TrainSolutions");
        assertThat(train.path("ItemsPath").asText()).isEqualTo("$.resources.solutions");
        assertThat(train.path("ItemSelector").path("solution.$").asText()).isEqualTo("$$.Map.Item.Value.solution");
        // The local engine refuses a sixth training in flight: more solutions wait instead of failing the run.
        assertThat(train.path("MaxConcurrency").asInt()).isBetween(1, 5);
        assertThat(states.path("Evaluate").path("Parameters").path("candidates.$").asText()).isEqualTo("$.training");
        assertThat(states.path("UpdateCampaigns").path("ItemsPath").asText()).isEqualTo("$.evaluation.promoted");
        JsonNode update = states.path("UpdateCampaigns").path("ItemProcessor").path("States").path("UpdateCampaign");
        assertThat(update.path("Parameters").path("solution.$").asText()).isEqualTo("$.solution");
        // The final task sees every solution (to report the ARN of each serving campaign) and the decisions.
        JsonNode publish = states.path("PublishFallback").path("Parameters");
        assertThat(publish.path("solutions.$").asText()).isEqualTo("$.resources.solutions");
        assertThat(publish.path("evaluation.$").asText()).isEqualTo("$.evaluation");
        assertThat(states.path("PublishFallback").path("ResultPath").asText()).isEqualTo("$.result");
        assertThat(states.path("NotifySuccess").path("Parameters").path("Message.$").asText()).isEqualTo("$.result.summary");
        assertThat(states.path("NotifyRejected").path("Parameters").path("Message.$").asText()).contains("$.evaluation.summary");
    }

    @Test
    void theExperimentIsDecidedOnEveryRunThatReachesTheGateAndItsFailureNeverStopsTheRun() throws Exception {
        JsonNode states = JSON.readTree(AslTemplate.render(AslTemplate.pipelineTemplate(), VARS)).path("States");
        // After the gate, before the branch: runs whether models are promoted or refused.
        assertThat(states.path("Evaluate").path("Next").asText()).isEqualTo("DecideExperiment");
        JsonNode decide = states.path("DecideExperiment");
        assertThat(decide.path("Type").asText()).isEqualTo("Task");
        assertThat(decide.path("Parameters").path("action").asText()).isEqualTo("decideExperiment");
        assertThat(decide.path("ResultPath").asText()).isEqualTo("$.experiment");
        assertThat(decide.path("Next").asText()).isEqualTo("AnyPromoted");
        assertThat(decide.path("Retry").get(0).path("ErrorEquals").toString()).contains("dev.recsys.training.TransientAwsException");
        // Any failure: its error becomes the experiment summary, and the run goes on to the same branch.
        JsonNode c = decide.path("Catch");
        assertThat(c).hasSize(1);
        assertThat(c.get(0).path("ErrorEquals").get(0).asText()).isEqualTo("States.ALL");
        assertThat(c.get(0).path("ResultPath").asText()).isNotEqualTo("$.error").isNotEqualTo("$.experiment");
        JsonNode undecided = states.path(c.get(0).path("Next").asText());
        assertThat(undecided.path("Type").asText()).isEqualTo("Pass");
        assertThat(undecided.path("ResultPath").asText()).isEqualTo("$.experiment");
        assertThat(undecided.path("Next").asText()).isEqualTo("AnyPromoted");
        assertThat(undecided.path("Parameters").path("summary.$").asText())
                .contains(c.get(0).path("ResultPath").asText() + ".Error", c.get(0).path("ResultPath").asText() + ".Cause");
        // Both notifications carry the decision: the success summary is built with it, the refusal formats it in.
        assertThat(states.path("PublishFallback").path("Parameters").path("experiment.$").asText()).isEqualTo("$.experiment");
        assertThat(states.path("NotifyRejected").path("Parameters").path("Message.$").asText()).contains("$.experiment.summary");
    }

    /**
     * Every wait loop (top level and in the Map iterations) is bounded: the status check after its Wait passes the checks
     * made so far, and the Choice it leads to sends a loop that reached the check's own limit ($.maxChecks as the task
     * answered it) to a Pass that names the stage's timeout, then to NotifyFailure (top level) or to a Fail state with
     * that error (a Map iteration, whose Map catches it into NotifyFailure).
     */
    @Test
    void everyWaitLoopCountsItsChecksAndEndsInATimeoutThatIsNotified() throws Exception {
        JsonNode states = JSON.readTree(AslTemplate.render(AslTemplate.pipelineTemplate(), VARS)).path("States");
        List<String> timeouts = new ArrayList<>();
        checkWaitLoops(states, true, timeouts);
        checkWaitLoops(states.path("TrainSolutions").path("ItemProcessor").path("States"), false, timeouts);
        checkWaitLoops(states.path("UpdateCampaigns").path("ItemProcessor").path("States"), false, timeouts);
        assertThat(timeouts).containsExactlyInAnyOrder("ResourcesTimeout", "ImportTimeout", "TrainingTimeout", "CampaignTimeout");
        // Each loop starts from zero checks: a Pass before the top-level loops, the start tasks' own answer in the Maps.
        assertThat(states.path("PrepareData").path("Next").asText()).isEqualTo("StartResourceChecks");
        assertThat(states.path("StartResourceChecks").path("Result").path("checks").asInt(-1)).isZero();
        assertThat(states.path("StartResourceChecks").path("ResultPath").asText()).isEqualTo("$.resources");
        assertThat(states.path("StartImport").path("Next").asText()).isEqualTo("StartImportChecks");
        assertThat(states.path("StartImportChecks").path("Result").path("checks").asInt(-1)).isZero();
        assertThat(states.path("StartImportChecks").path("ResultPath").asText()).isEqualTo("$.importStatus");
        // The execution as a whole is bounded too (its timeout runs no state: Terraform's EventBridge rule notifies it).
        assertThat(JSON.readTree(AslTemplate.render(AslTemplate.pipelineTemplate(), VARS)).path("TimeoutSeconds").asInt()).isPositive();
    }

    private static void checkWaitLoops(JsonNode states, boolean topLevel, List<String> timeouts) {
        for (Map.Entry<String, JsonNode> w : states.properties()) {
            if (!w.getValue().path("Type").asText().equals("Wait")) continue;
            JsonNode check = states.path(w.getValue().path("Next").asText());
            assertThat(check.path("Type").asText()).as(w.getKey() + " waits for a status check").isEqualTo("Task");
            String resultPath = check.path("ResultPath").asText("$");
            String prefix = resultPath.equals("$") ? "$" : resultPath;
            assertThat(check.path("Parameters").path("checks.$").asText()).as(w.getKey()).isEqualTo(prefix + ".checks");
            JsonNode choice = states.path(check.path("Next").asText());
            assertThat(choice.path("Type").asText()).as(w.getKey()).isEqualTo("Choice");
            assertThat(choice.path("Default").asText()).as(w.getKey() + " loops back").isEqualTo(w.getKey());
            JsonNode bound = null;
            for (JsonNode rule : choice.path("Choices")) {
                if (rule.has("NumericGreaterThanEqualsPath")) bound = rule;
            }
            assertThat(bound).as(w.getKey() + " has a limit").isNotNull();
            assertThat(bound.path("Variable").asText()).isEqualTo(prefix + ".checks");
            assertThat(bound.path("NumericGreaterThanEqualsPath").asText()).isEqualTo(prefix + ".maxChecks");
            JsonNode timedOut = states.path(bound.path("Next").asText());
            assertThat(timedOut.path("Type").asText()).isEqualTo("Pass");
            if (topLevel) {
                assertThat(timedOut.path("ResultPath").asText()).isEqualTo("$.error");
                assertThat(timedOut.path("Next").asText()).isEqualTo("NotifyFailure");
                assertThat(timedOut.path("Parameters").path("Cause.$").asText()).startsWith("States.Format(").contains(prefix + ".checks");
                timeouts.add(timedOut.path("Parameters").path("Error").asText());
            } else {
                JsonNode fail = states.path(timedOut.path("Next").asText());
                assertThat(fail.path("Type").asText()).isEqualTo("Fail");
                assertThat(fail.path("CausePath").asText()).isEqualTo("$.cause");
                assertThat(timedOut.path("Parameters").path("cause.$").asText()).startsWith("States.Format(").contains("$.checks");
                timeouts.add(fail.path("Error").asText());
            }
        }
    }

    @Test
    void templateRendersLikeTerraform() {
        assertThat(AslTemplate.render("{\"a\":\"${x}\",\"b\":\"$${y}\",\"c\":\"$$.Execution.Name\"}", Map.of("x", "q\"v")))
                .isEqualTo("{\"a\":\"q\\\"v\",\"b\":\"${y}\",\"c\":\"$$.Execution.Name\"}");
        assertThatThrownBy(() -> AslTemplate.render("${missing}", Map.of()))
                .hasMessageContaining("no value for template variable ${missing}");
        // Every variable the template uses is one Terraform passes (and no more).
        List<String> used = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<!\\$)\\$\\{([a-z_]+)}").matcher(AslTemplate.pipelineTemplate());
        while (m.find()) if (!used.contains(m.group(1))) used.add(m.group(1));
        assertThat(used).containsExactlyInAnyOrderElementsOf(VARS.keySet());
    }

    /** Every Task state, nested ones (Map item processors, Parallel branches) included. */
    private static Map<String, JsonNode> tasks(JsonNode states) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : states.properties()) {
            if (e.getValue().path("Type").asText().equals("Task")) out.put(e.getKey(), e.getValue());
            out.putAll(tasks(e.getValue().path("ItemProcessor").path("States")));
            for (JsonNode branch : e.getValue().path("Branches")) out.putAll(tasks(branch.path("States")));
        }
        return out;
    }

    // --- asl-validator (npm, installed in <repo>/local/node_modules) ---

    private record Result(int exitCode, String output) {}

    private static Result validate(Path definition) throws IOException, InterruptedException {
        Path validator = repoRoot().resolve("local/node_modules/.bin/asl-validator");
        assertThat(validator).as("run `npm ci` in local/ first").exists();
        Process p = new ProcessBuilder(validator.toString(), "--json-path", definition.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    static Path repoRoot() {
        String prop = System.getProperty("recsys.repo.root");
        if (prop != null) return Path.of(prop);
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        return dir;
    }
}
