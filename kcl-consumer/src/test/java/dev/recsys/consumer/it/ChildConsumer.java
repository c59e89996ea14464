package dev.recsys.consumer.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.contract.Contract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The consumer as its own JVM, so a test can SIGKILL it like a crashed ECS task. */
final class ChildConsumer implements AutoCloseable {

    private final Process process;
    final Path log;

    private ChildConsumer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildConsumer start(Path config, Path logDir, String name) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.recsys.consumer.ConsumerApplication", "server", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        return new ChildConsumer(pb.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, no checkpoint. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as ECS sends on stop; returns the exit code. */
    int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("consumer did not stop within " + timeoutSeconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    boolean logContains(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The lag metric's EMF documents this worker wrote to stdout (kcl-consumer LagMetrics: the contract's
     * metrics.consumer_lag namespace, with the stream dimension = {@code stream}), in order.
     */
    List<JsonNode> lagDocuments(String stream) {
        Contract.ConsumerLag names = Contract.get().metrics().consumerLag();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> docs = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log)) {
                if (!line.startsWith("{") || !line.contains("\"_aws\"")) continue;
                JsonNode doc = json.readTree(line);
                if (names.namespace().equals(doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText())
                        && stream.equals(doc.path(names.streamDimension()).asText())) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            // not written yet
        }
        return docs;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill9();
    }
}
