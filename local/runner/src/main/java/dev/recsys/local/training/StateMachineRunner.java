package dev.recsys.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.local.stack.process.OwnSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Executes an ASL definition with aws-local-stepfunctions in a Node 22 child process
 * ({@code local/runner/src/main/js/run-state-machine.mjs}); Task states reach {@code lambdaEndpoint}.
 * Wait states and retry pauses are shortened to the given durations (the definition is unchanged).
 */
public final class StateMachineRunner {

    /**
     * How one execution ended. {@code states}: top-level states in the order they were entered;
     * {@code failures}: every state failure ({@code State[iteration]: Error: Cause}), caught or not.
     */
    public record Execution(String status, JsonNode output, String error, String cause, List<String> states,
                            List<String> failures) {
        public boolean succeeded() {
            return "SUCCEEDED".equals(status);
        }
    }

    /**
     * A state entered ({@code StateEntered}) or a Map iteration started or ended ({@code MapIteration*}), as it
     * happens; {@code index} is the Map iteration (null at the top level).
     */
    public record Progress(String type, String state, Integer index) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path localDir;
    private final Path workDir;

    /**
     * @param localDir the repository's {@code local/} folder (node_modules with Node 22 and aws-local-stepfunctions)
     * @param workDir  where job files and driver logs go
     */
    public StateMachineRunner(Path localDir, Path workDir) {
        this.localDir = localDir;
        this.workDir = workDir;
    }

    /**
     * @param executionName {@code $$.Execution.Name}; {@code $$.Execution.StartTime} is the real start time
     *                      (aws-local-stepfunctions sets it, as Step Functions does)
     */
    public Execution run(String definition, JsonNode input, String executionName, URI lambdaEndpoint,
                         Duration waitOverride, Duration retryOverride, Duration timeout) throws IOException, InterruptedException {
        return run(definition, input, executionName, lambdaEndpoint, waitOverride, retryOverride, timeout, p -> {});
    }

    /** As above, telling {@code progress} (on the calling thread) about each state as the run enters it. */
    public Execution run(String definition, JsonNode input, String executionName, URI lambdaEndpoint,
                         Duration waitOverride, Duration retryOverride, Duration timeout, Consumer<Progress> progress)
            throws IOException, InterruptedException {
        JsonNode def = JSON.readTree(definition);
        ObjectNode job = JSON.createObjectNode();
        job.set("definition", def);
        job.set("input", input);
        ObjectNode execution = job.putObject("context").putObject("Execution");
        execution.put("Id", "arn:aws:states:us-east-1:000000000000:execution:recsys-training:" + executionName);
        execution.put("Name", executionName);
        ObjectNode waits = job.putObject("waitTimeOverrides");
        ObjectNode retries = job.putObject("retryIntervalOverrides");
        collectOverrides(def.path("States"), waits, retries, waitOverride.toMillis(), retryOverride.toMillis());

        Files.createDirectories(workDir);
        Path jobFile = workDir.resolve(executionName + ".job.json");
        Path stderr = workDir.resolve(executionName + ".driver.log");
        Files.write(jobFile, JSON.writeValueAsBytes(job));

        ProcessBuilder pb = new ProcessBuilder(OwnSession.command(List.of(node().toString(), driver().toString(), jobFile.toString())))
                .redirectError(stderr.toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint.toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        Process p = pb.start();
        String last = "";
        long deadline = System.nanoTime() + timeout.toNanos();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (Thread.interrupted()) throw new InterruptedException();
                if (System.nanoTime() > deadline) throw new IllegalStateException("state machine did not finish within " + timeout);
                if (line.startsWith("{\"progress\"")) {
                    JsonNode n = JSON.readTree(line).get("progress");
                    progress.accept(new Progress(n.path("type").asText(), n.path("state").asText(),
                            n.path("index").isNumber() ? n.path("index").asInt() : null));
                } else if (!line.isBlank()) {
                    last = line.trim();
                }
            }
            if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("state machine did not finish within " + timeout);
            }
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
        if (!last.startsWith("{")) {
            throw new IllegalStateException("state machine driver exited " + p.exitValue() + " without a result: "
                    + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        JsonNode r = JSON.readTree(last);
        return new Execution(r.path("status").asText(), r.get("output"), r.path("error").asText(null),
                r.path("cause").asText(null), texts(r.path("states")), texts(r.path("failures")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    /** Overrides are keyed by state name, nested Map/Parallel states included. */
    private static void collectOverrides(JsonNode states, ObjectNode waits, ObjectNode retries, long waitMs, long retryMs) {
        for (Map.Entry<String, JsonNode> s : states.properties()) {
            if ("Wait".equals(s.getValue().path("Type").asText())) waits.put(s.getKey(), waitMs);
            if (s.getValue().has("Retry")) retries.put(s.getKey(), retryMs);
            JsonNode processor = s.getValue().has("ItemProcessor") ? s.getValue().get("ItemProcessor") : s.getValue().get("Iterator");
            if (processor != null) collectOverrides(processor.path("States"), waits, retries, waitMs, retryMs);
            for (JsonNode branch : s.getValue().path("Branches")) collectOverrides(branch.path("States"), waits, retries, waitMs, retryMs);
        }
    }

    private Path node() {
        Path node = localDir.resolve("node_modules/.bin/node");
        if (!Files.isExecutable(node)) throw new IllegalStateException("no Node 22 at " + node + ": run npm ci in local/");
        return node;
    }

    private Path driver() {
        Path script = localDir.resolve("runner/src/main/js/run-state-machine.mjs");
        if (!Files.isRegularFile(script)) throw new IllegalStateException("state machine driver missing: " + script);
        return script;
    }
}
