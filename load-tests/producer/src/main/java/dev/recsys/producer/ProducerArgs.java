package dev.recsys.producer;

import dev.recsys.producer.core.ProducerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line options of {@link ProducerMain}.
 *
 * @param createShards create the stream with this many shards when it does not exist (0: never create)
 * @param catalog      send the workload's catalog (one item record per item) before the events
 */
public record ProducerArgs(ProducerConfig config, long events, long seed, int users, int items, int clusters,
                           int createShards, boolean catalog) {

    public static final String USAGE = """
            usage: producer --stream NAME [--events N] [--rate EVENTS_PER_S] [--mode kpl|putrecords] [--seed S]
                            [--users U] [--items I] [--clusters C] [--region R]
                            [--endpoint URL [--access-key K --secret-key S]] [--create-shards N]
                            [--timeout-ms MS] [--catalog true|false]
              --endpoint   offline emulator endpoint (the KPL needs the TLS one, https://127.0.0.1:PORT);
                           without it the producer talks to real AWS with the default credentials chain
              --catalog    first send the workload's catalog, one item record per item (record_type "item")
            """;

    private static final Set<String> KNOWN = Set.of("stream", "events", "rate", "mode", "seed", "users", "items",
            "clusters", "region", "endpoint", "access-key", "secret-key", "create-shards", "timeout-ms",
            "catalog");

    /** @throws IllegalArgumentException naming the bad option */
    public static ProducerArgs parse(String... args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value");
            }
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            opts.put(name, value);
        }
        String stream = opts.get("stream");
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("--stream is required");
        }
        ProducerConfig.Mode mode = ProducerConfig.Mode.parse(opts.getOrDefault("mode", "kpl"));
        String region = opts.getOrDefault("region",
                Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1"));
        Optional<URI> endpoint = Optional.ofNullable(opts.get("endpoint")).map(URI::create);
        Optional<ProducerConfig.StaticKeys> keys = endpoint.map(e -> new ProducerConfig.StaticKeys(
                opts.getOrDefault("access-key", "local"), opts.getOrDefault("secret-key", "localsecret")));
        if (endpoint.isEmpty() && (opts.containsKey("access-key") || opts.containsKey("secret-key"))) {
            throw new IllegalArgumentException("--access-key/--secret-key only go with --endpoint; "
                    + "on AWS use the default credentials chain");
        }
        ProducerConfig config = new ProducerConfig(mode, stream, region, endpoint, keys,
                number(opts, "rate", 0.0), Duration.ofMillis(whole(opts, "timeout-ms",
                        ProducerConfig.DEFAULT_DELIVERY_TIMEOUT.toMillis(), 100)));
        return new ProducerArgs(config, whole(opts, "events", 10_000, 0), whole(opts, "seed", 42, Long.MIN_VALUE),
                (int) whole(opts, "users", 2_000, 1), (int) whole(opts, "items", 500, 1),
                (int) whole(opts, "clusters", 8, 1), (int) whole(opts, "create-shards", 0, 0), bool(opts, "catalog"));
    }

    private static boolean bool(Map<String, String> opts, String name) {
        String v = opts.getOrDefault(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--" + name + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static long whole(Map<String, String> opts, String name, long defaultValue, long min) {
        String v = opts.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < min) {
                throw new IllegalArgumentException("--" + name + " must be >= " + min + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    private static double number(Map<String, String> opts, String name, double defaultValue) {
        String v = opts.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
        }
    }
}
