package dev.recsys.local.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.process.OwnSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kcl-consumer service as its own JVM, configured exactly as on ECS: the bundled consumer.yml
 * plus environment variables. Offline, only the endpoints and credentials differ.
 */
public final class ConsumerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LEASES = Pattern.compile("holds (\\d+) shard lease");

    /** Names of the stores a local deployment uses (Terraform's names on AWS). */
    public record Deployment(String stream, String application, String interactionsTable, String profilesTable,
                             String exposuresTable, String experimentUsersTable, String experimentsTable, String itemsTable,
                             String usersTable, String bucket) {
        public static Deployment standard() {
            return new Deployment("interactions", "recsys-consumer", "interactions", "user_profiles", "exposures",
                    "experiment_users", "experiments", "items", "users", "recsys-data");
        }
    }

    private final Process process;
    private final int adminPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ConsumerProcess(Process process, int adminPort, Path log) {
        this.process = process;
        this.adminPort = adminPort;
        this.log = log;
    }

    public static Map<String, String> environment(Endpoints e, Deployment d, String workerId, int appPort, int adminPort,
                                                  Map<String, String> extra) {
        Map<String, String> env = new TreeMap<>();
        env.put("KINESIS_STREAM", d.stream());
        env.put("KCL_APPLICATION_NAME", d.application());
        env.put("KCL_WORKER_ID", workerId);
        env.put("KCL_SHARD_SYNC_MILLIS", "1000"); // the default adds a flat 60 s idle locally
        env.put("KCL_FAILOVER_MILLIS", "2000");
        env.put("AWS_REGION", e.region());
        env.put("KINESIS_ENDPOINT", e.kinesis().toString());
        env.put("DYNAMODB_ENDPOINT", e.dynamodb().toString());
        env.put("S3_ENDPOINT", e.s3().toString());
        env.put("CLOUDWATCH_ENDPOINT", "http://127.0.0.1:9"); // metrics level NONE: never called
        env.put("STATIC_ACCESS_KEY_ID", e.accessKey());
        env.put("STATIC_SECRET_ACCESS_KEY", e.secretKey());
        env.put("TRUST_ALL_CERTIFICATES", "true");
        env.put("INTERACTIONS_TABLE", d.interactionsTable());
        env.put("USER_PROFILES_TABLE", d.profilesTable());
        env.put("EXPOSURES_TABLE", d.exposuresTable());
        env.put("EXPERIMENT_USERS_TABLE", d.experimentUsersTable());
        env.put("EXPERIMENTS_TABLE", d.experimentsTable());
        env.put("ITEMS_TABLE", d.itemsTable());
        env.put("USERS_TABLE", d.usersTable());
        env.put("DATA_BUCKET", d.bucket());
        env.put("CREATE_STORES", "true");
        env.put("CHECKPOINT_INTERVAL", "5s");
        // The demo's experiments: popularity (b) is the control; results every 3 s; a sample floor for
        // hundreds of simulated users rather than the production default of 1,000 users per arm.
        env.put("EXPERIMENT_RESULTS_INTERVAL", "3s");
        env.put("EXPERIMENT_CONTROL_VARIANT", "b");
        env.put("EXPERIMENT_MIN_USERS", "100");
        env.put("EXPERIMENT_MIN_EXPOSURES", "200");
        if (e.redisUri() != null) {
            env.put("REDIS_URI", e.redisUri().toString());
            env.put("REDIS_USER", e.redisUser("consumer"));
            env.put("REDIS_CACHE_NAME", e.redisCacheName());
        }
        env.put("BIND_HOST", "127.0.0.1");
        env.put("APP_PORT", Integer.toString(appPort));
        env.put("ADMIN_PORT", Integer.toString(adminPort));
        env.putAll(extra);
        return env;
    }

    public static ConsumerProcess start(Map<String, String> env, Path log, String maxHeap) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"),
                "dev.recsys.consumer.ConsumerApplication", "server", "consumer.yml"));
        // Own session: on Ctrl-C the runner stops it (flush, checkpoint) before the stores it writes to.
        ProcessBuilder pb = new ProcessBuilder(OwnSession.command(cmd)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new ConsumerProcess(pb.start(), Integer.parseInt(env.get("ADMIN_PORT")), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** GET on the admin port (e.g. "/metrics", "/healthcheck"); null while it is not up. */
    public String admin(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * True when every health check in a Dropwizard {@code /healthcheck} body is healthy and the KCL
     * check reports at least {@code leases} shard leases held.
     */
    public static boolean healthy(String healthJson, int leases) {
        if (healthJson == null) return false;
        try {
            JsonNode checks = JSON.readTree(healthJson);
            if (!checks.isObject() || checks.isEmpty()) return false;
            for (JsonNode c : checks) if (!c.path("healthy").asBoolean(false)) return false;
            Matcher m = LEASES.matcher(checks.path("kcl-scheduler").path("message").asText(""));
            return m.find() && Integer.parseInt(m.group(1)) >= leases;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** The names of the health checks in a {@code /healthcheck} body, e.g. "kcl-scheduler, redis". */
    public static String checks(String healthJson) {
        try {
            List<String> names = new ArrayList<>();
            JSON.readTree(healthJson).fieldNames().forEachRemaining(names::add);
            return String.join(", ", names);
        } catch (IOException e) {
            return "?";
        }
    }

    /** SIGTERM and wait: the consumer flushes and checkpoints every shard first. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
