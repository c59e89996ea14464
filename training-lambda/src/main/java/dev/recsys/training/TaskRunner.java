package dev.recsys.training;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task invocation as the function runs it, on Lambda ({@link TrainingHandler}) and offline alike: the task, one
 * log line when it ends (action, run, duration; the error and its stack on failure) and its metrics. Errors are
 * rethrown unchanged: their class name is the Lambda error type the state machine's Retry and Catch match.
 */
public final class TaskRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

    private final TrainingTasks tasks;
    private final TaskMetrics metrics;

    public TaskRunner(TrainingTasks tasks, TaskMetrics metrics) {
        this.tasks = tasks;
        this.metrics = metrics;
    }

    public JsonNode run(JsonNode input) {
        String action = field(input, "action");
        String runId = field(input, "runId");
        long start = System.nanoTime();
        try {
            JsonNode result = tasks.handle(input);
            double millis = (System.nanoTime() - start) / 1e6;
            LOG.info("task {} done", action, entry("action", action), entry("run_id", runId), entry("duration_ms", millis),
                    entry("status", status(result)));
            metrics.finished(action, runId, millis, null);
            return result;
        } catch (RuntimeException e) {
            double millis = (System.nanoTime() - start) / 1e6;
            // Transient AWS errors are retried by the state machine; the rest end the run (or its Catch) with this error.
            String type = e.getClass().getName(); // as the Java runtime reports errorType
            if (e instanceof TransientAwsException) {
                LOG.warn("task {} failed, the state machine retries it", action, entry("action", action), entry("run_id", runId),
                        entry("duration_ms", millis), entry("error_type", type), e);
            } else {
                LOG.error("task {} failed", action, entry("action", action), entry("run_id", runId), entry("duration_ms", millis),
                        entry("error_type", type), e);
            }
            metrics.finished(action, runId, millis, type);
            throw e;
        }
    }

    private static String field(JsonNode input, String name) {
        JsonNode v = input == null ? null : input.get(name);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static String status(JsonNode result) {
        JsonNode s = result == null ? null : result.get("status");
        return s == null ? null : s.asText();
    }
}
