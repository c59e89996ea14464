package dev.recsys.consumer.it;

import dev.recsys.local.stack.Endpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One isolated consumer deployment on a shared local stack: its own stream, lease table, data
 * tables and bucket, and a consumer.yml with literal values pointing at the emulators.
 */
final class ConsumerSetup {

    final String name;
    final String stream;
    /** The KCL application, i.e. the lease table: another one reads the whole stream again ({@link #asApplication}). */
    String application;
    final String interactionsTable;
    final String profilesTable;
    final String exposuresTable;
    final String experimentUsersTable;
    final String experimentsTable;
    final String itemsTable;
    final String usersTable;
    final String bucket;
    final Endpoints endpoints;
    private final Map<String, String> flush = new LinkedHashMap<>();
    private final Map<String, String> kcl = new LinkedHashMap<>();
    private final Map<String, String> experiments = new LinkedHashMap<>();
    private String s3Endpoint;
    private boolean createStores = true;

    ConsumerSetup(String name, Endpoints endpoints) {
        this.name = name;
        this.stream = name + "-stream";
        this.application = name + "-consumer";
        this.interactionsTable = name + "-interactions";
        this.profilesTable = name + "-profiles";
        this.exposuresTable = name + "-exposures";
        this.experimentUsersTable = name + "-experiment-users";
        this.experimentsTable = name + "-experiments";
        this.itemsTable = name + "-items";
        this.usersTable = name + "-users";
        this.bucket = name + "-data";
        this.endpoints = endpoints;
        this.s3Endpoint = endpoints.s3().toString();
        flush.put("interactionFlushInterval", "200ms");
        flush.put("interactionFlushRecords", "1000");
        flush.put("checkpointInterval", "2s");
        flush.put("checkpointRecords", "20000");
        flush.put("maxBufferedRecords", "50000");
        kcl.put("idleTimeBetweenReadsMillis", "200");
        kcl.put("failoverTimeMillis", "2000");
        kcl.put("shardSyncIntervalMillis", "1000");
        kcl.put("gracefulShutdownMillis", "20000");
        experiments.put("resultsInterval", "1s");
        experiments.put("minUsers", "2");
        experiments.put("minExposures", "1");
    }

    ConsumerSetup experiments(String key, String value) {
        experiments.put(key, value);
        return this;
    }

    ConsumerSetup flush(String key, String value) {
        flush.put(key, value);
        return this;
    }

    ConsumerSetup kcl(String key, String value) {
        kcl.put(key, value);
        return this;
    }

    /** From now on a new KCL application with its own checkpoints: from TRIM_HORIZON it replays the stream into the same stores. */
    ConsumerSetup asApplication(String name) {
        this.application = name;
        return this;
    }

    /** Points S3 somewhere else (a dead port simulates an S3 outage); stores must then pre-exist. */
    ConsumerSetup s3Endpoint(String endpoint) {
        this.s3Endpoint = endpoint;
        this.createStores = false;
        return this;
    }

    /** The store names of this setup, as the consumer's configuration holds them. */
    dev.recsys.consumer.config.StoreSettings storeSettings() {
        var s = new dev.recsys.consumer.config.StoreSettings();
        s.interactionsTable = interactionsTable;
        s.userProfilesTable = profilesTable;
        s.exposuresTable = exposuresTable;
        s.experimentUsersTable = experimentUsersTable;
        s.experimentsTable = experimentsTable;
        s.itemsTable = itemsTable;
        s.usersTable = usersTable;
        s.bucket = bucket;
        return s;
    }

    Path writeConfig(Path dir, String workerId) {
        StringBuilder y = new StringBuilder();
        y.append("kcl:\n  streamName: ").append(stream).append("\n  applicationName: ").append(application)
                .append("\n  workerId: ").append(workerId).append('\n');
        kcl.forEach((k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
        y.append("aws:\n  region: ").append(endpoints.region())
                .append("\n  kinesisEndpoint: ").append(endpoints.kinesis())
                .append("\n  dynamoDbEndpoint: ").append(endpoints.dynamodb())
                .append("\n  s3Endpoint: ").append(s3Endpoint)
                .append("\n  cloudWatchEndpoint: http://127.0.0.1:9")
                .append("\n  accessKeyId: ").append(endpoints.accessKey())
                .append("\n  secretAccessKey: ").append(endpoints.secretKey())
                .append("\n  trustAllCertificates: true\n");
        y.append("stores:\n  interactionsTable: ").append(interactionsTable)
                .append("\n  userProfilesTable: ").append(profilesTable)
                .append("\n  exposuresTable: ").append(exposuresTable)
                .append("\n  experimentUsersTable: ").append(experimentUsersTable)
                .append("\n  experimentsTable: ").append(experimentsTable)
                .append("\n  itemsTable: ").append(itemsTable)
                .append("\n  usersTable: ").append(usersTable)
                .append("\n  bucket: ").append(bucket)
                .append("\n  createIfMissing: ").append(createStores).append('\n');
        y.append("flush:\n");
        flush.forEach((k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
        y.append("retry:\n  maxAttempts: 3\n  initialBackoff: 20ms\n  maxBackoff: 200ms\n");
        y.append("lagMetricInterval: 1s\n"); // the lag metric's EMF lines within seconds, not a minute
        y.append("experiments:\n");
        experiments.forEach((k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
        if (endpoints.redisUri() != null) {
            // As deployed: the consumer's own cache user (its access string), with IAM tokens.
            y.append("realtime:\n  redisUri: ").append(endpoints.redisUri()).append('\n')
                    .append("  redisUser: ").append(endpoints.redisUser("consumer")).append('\n')
                    .append("  redisCacheName: ").append(endpoints.redisCacheName()).append('\n');
        }
        y.append("""
                server:
                  applicationConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: 0
                  adminConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: 0
                  shutdownGracePeriod: 1s
                logging:
                  level: INFO
                  loggers:
                    software.amazon.kinesis: WARN
                    io.netty: WARN
                    org.eclipse.jetty: WARN
                """);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + "-" + workerId + ".yml");
            Files.writeString(file, y.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
