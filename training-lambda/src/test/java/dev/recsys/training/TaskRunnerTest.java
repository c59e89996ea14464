package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.local.stack.logs.CapturedLog;
import dev.recsys.local.stack.metrics.EmfStandIn;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one task invocation leaves behind: its answer or its error unchanged, one JSON log line, one EMF document. */
class TaskRunnerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> documents = new ArrayList<>();
    private final TaskRunner runner = new TaskRunner(
            new TrainingTasks(TrainingConfig.fromEnv(Map.of("AWS_REGION", "us-east-1", "DATA_BUCKET", "b", "NAME_PREFIX", "recsys-t",
                    "IMPORT_ROLE_ARN", "arn:aws:iam::123456789012:role/import",
                    "VARIANTS", "a=arn:aws:personalize:::recipe/aws-user-personalization-v2")),
                    null, null, null, Clock.systemUTC()),
            new TaskMetrics("recsys-t/training", EmfStandIn.provider(documents::add)));

    @Test
    void aTaskThatSucceedsIsLoggedAndMeasuredByAction() throws Exception {
        try (CapturedLog log = CapturedLog.start()) {
            JsonNode result = runner.run(JSON.readTree("{\"action\":\"decideExperiment\",\"runId\":\"run-7\"}"));
            assertThat(result.get("configured").asBoolean()).isFalse();

            JsonNode line = only(log.lines(), "task decideExperiment done");
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("action").asText()).isEqualTo("decideExperiment");
            assertThat(line.get("run_id").asText()).isEqualTo("run-7");
            assertThat(line.get("duration_ms").asDouble()).isGreaterThanOrEqualTo(0);
        }
        JsonNode doc = onlyDocument();
        assertThat(doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("recsys-t/training");
        assertThat(doc.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString()).isEqualTo("[\"Action\"]");
        assertThat(doc.get("Action").asText()).isEqualTo("decideExperiment");
        assertThat(doc.get("TaskErrors").asDouble()).isZero();
        assertThat(doc.get("TaskDuration").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(doc.get("run_id").asText()).isEqualTo("run-7");
    }

    @Test
    void aTaskThatFailsRethrowsTheSameErrorForTheStateMachineAndIsLoggedWithItsStack() {
        try (CapturedLog log = CapturedLog.start()) {
            assertThatThrownBy(() -> runner.run(JSON.readTree("{\"action\":\"bogus\"}")))
                    .isExactlyInstanceOf(InvalidTaskInputException.class).hasMessageContaining("unknown action 'bogus'");

            JsonNode line = only(log.lines(), "task bogus failed");
            assertThat(line.get("level").asText()).isEqualTo("ERROR");
            assertThat(line.get("error_type").asText()).isEqualTo(InvalidTaskInputException.class.getName());
            assertThat(line.get("error").get("stack").asText()).contains("unknown action 'bogus'");
        }
        JsonNode doc = onlyDocument();
        assertThat(doc.get("Action").asText()).isEqualTo("bogus");
        assertThat(doc.get("TaskErrors").asDouble()).isEqualTo(1);
        assertThat(doc.get("error_type").asText()).isEqualTo(InvalidTaskInputException.class.getName());
    }

    private static JsonNode only(List<String> lines, String message) {
        List<JsonNode> found = lines.stream().map(TaskRunnerTest::parse).filter(l -> l.path("message").asText().equals(message)).toList();
        assertThat(found).as("lines: %s", lines).hasSize(1);
        return found.get(0);
    }

    private JsonNode onlyDocument() {
        assertThat(documents).hasSize(1);
        return parse(documents.get(0));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
