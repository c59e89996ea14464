package dev.recsys.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.local.stack.process.OwnSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local stand-in for {@code arn:aws:states:::glue:startJobRun.sync}: runs the glue-job's main class
 * in Spark local mode in a child JVM (Spark needs its own Jackson 2.15 line, so never in this JVM),
 * reading and writing the bucket through S3A against the local S3 endpoint. Blocks until the run
 * ends, like {@code .sync}; a failed run is {@code States.TaskFailed} with the job's error message.
 */
public final class LocalGlueJob implements TaskFunction {

    public static final String RESOURCE = "arn:aws:states:::glue:startJobRun.sync";
    public static final String MAIN_CLASS = "dev.recsys.glue.PrepareInteractionsJob";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The exception line the JVM prints for an uncaught exception in main. */
    private static final Pattern UNCAUGHT = Pattern.compile("^Exception in thread \"main\" ([\\w.$]+): (.*)$");
    /** What spark-submit adds for Java 17. */
    static final List<String> JAVA17_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
            "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
            "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    /**
     * @param glueJobDir the glue-job module folder, built ({@code target/classes} and {@code target/local-classpath.txt})
     * @param s3Endpoint local S3 (S3Proxy)
     * @param logDir     one log file per run
     */
    public record Options(Path glueJobDir, URI s3Endpoint, String region, String accessKey, String secretKey,
                          String sparkMaster, String maxHeap, Duration timeout, Path logDir) {}

    private final Options options;

    public LocalGlueJob(Options options) {
        this.options = options;
    }

    @Override
    public JsonNode invoke(JsonNode input) throws IOException, InterruptedException {
        String jobName = input.path("JobName").asText("");
        if (jobName.isBlank()) throw new TaskFailure("Glue.InvalidInputException", "startJobRun needs a JobName");
        String runId = "jr_" + UUID.randomUUID().toString().replace("-", "");
        List<String> command = command(input.path("Arguments"));
        Files.createDirectories(options.logDir());
        Path log = options.logDir().resolve(runId + ".log");
        ProcessBuilder pb = new ProcessBuilder(OwnSession.command(command)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", options.accessKey());
        pb.environment().put("AWS_SECRET_ACCESS_KEY", options.secretKey());
        pb.environment().put("AWS_REGION", options.region());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            if (!p.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new TaskFailure("States.TaskFailed", "Glue job " + jobName + " run " + runId + " timed out after "
                        + options.timeout() + " (log " + log + ")");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        if (p.exitValue() != 0) {
            throw new TaskFailure("States.TaskFailed", "Glue job " + jobName + " run " + runId + " FAILED: "
                    + errorMessage(log) + " (log " + log + ")");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("Id", runId);
        out.put("JobName", jobName);
        out.put("JobRunState", "SUCCEEDED");
        out.put("ExecutionTime", (System.nanoTime() - t0) / 1_000_000_000L);
        return out;
    }

    List<String> command(JsonNode arguments) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + options.maxHeap());
        for (String pkg : JAVA17_OPENS) cmd.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(MAIN_CLASS);
        for (Map.Entry<String, JsonNode> a : arguments.properties()) {
            String value = a.getValue().asText();
            // Glue reads s3:// natively; locally the same bucket is reached through S3A.
            if (a.getKey().equals("--bucket-root") && value.startsWith("s3://")) value = "s3a://" + value.substring(5);
            cmd.add(a.getKey());
            cmd.add(value);
        }
        cmd.add("--s3-endpoint");
        cmd.add(options.s3Endpoint().toString());
        cmd.add("--spark-master");
        cmd.add(options.sparkMaster());
        return cmd;
    }

    private String classpath() {
        Path classes = options.glueJobDir().resolve("target/classes");
        Path deps = options.glueJobDir().resolve("target/local-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(deps)) {
            throw new TaskFailure("States.TaskFailed", "the glue-job module is not built (" + deps + " missing):"
                    + " run ./mvnw -pl glue-job package first");
        }
        try {
            return classes + java.io.File.pathSeparator + Files.readString(deps, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job's own exception message (e.g. the insufficient-data explanation), else the log's last line. */
    private static String errorMessage(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = UNCAUGHT.matcher(lines.get(i));
            if (m.matches()) return m.group(1).substring(m.group(1).lastIndexOf('.') + 1) + ": " + m.group(2);
        }
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    }
}
