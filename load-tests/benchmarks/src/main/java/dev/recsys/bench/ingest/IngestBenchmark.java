package dev.recsys.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.consumer.config.AwsSettings;
import dev.recsys.consumer.config.KclSettings;
import dev.recsys.local.ingest.ConsumerProcess;
import dev.recsys.local.ingest.ConsumerProcess.Deployment;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.StackOptions;
import dev.recsys.producer.EventProducer;
import dev.recsys.producer.ProducerConfig;
import dev.recsys.producer.Producers;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Ingestion benchmark on the offline stack (a command, not a test):
 * <ol>
 *   <li>pre-loads N reference-workload events with the KPL (kinesis-mock's PutRecords is too slow to feed a consumer);</li>
 *   <li>times a no-op KCL consumer and then the real consumer (its own JVM, as on ECS) over the same records,
 *       first record to last event written, so the KCL's lease start-up is not counted against either;</li>
 *   <li>reads the consumer's per-operation request counters: write requests and S3 objects per 1,000 events;</li>
 *   <li>streams a steady trickle with PutRecords and measures PutRecord → queryable latency per event.</li>
 * </ol>
 * Prints one JSON object and one line of text.
 */
public final class IngestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int shards = 4;
        int latencyEvents = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        Path work = Files.createTempDirectory("recsys-bench-ingest");
        ObjectNode result = JSON.createObjectNode();
        result.put("benchmark", "ingest").put("events", events).put("shards", shards);

        try (LocalStack stack = LocalStack.start(StackOptions.all())) {
            Endpoints e = stack.endpoints();
            Deployment real = new Deployment("bench", "bench-consumer", "interactions", "user_profiles", "recsys-data");
            stack.createStream(real.stream(), shards);

            List<InteractionEvent> workload = new ArrayList<>(events);
            new SyntheticWorkload(SyntheticWorkload.Config.reference(7, events, System.currentTimeMillis() - events * 5L))
                    .forEach(workload::add);
            long t0 = System.nanoTime();
            try (EventProducer kpl = Producers.create(ProducerConfig.local(ProducerConfig.Mode.KPL, real.stream(), e.kinesis(),
                    e.accessKey(), e.secretKey()))) {
                kpl.sendAll(workload).join();
            }
            result.put("preload_seconds_kpl", seconds(t0));

            // 1. the yardstick
            double noOpRate;
            try (NoOpConsumer noOp = new NoOpConsumer(aws(e), kcl(real.stream(), "bench-noop"))) {
                noOp.start();
                waitFor(() -> noOp.records.get() >= events, 300);
                noOpRate = events / seconds(noOp.firstRecordNanos);
            }

            // 2. the real consumer, configured like an ECS task
            int admin = freePort();
            Map<String, String> env = ConsumerProcess.environment(e, real, "bench-worker", freePort(), admin, Map.of(
                    "LOG_LEVEL", "WARN", "CHECKPOINT_INTERVAL", "10s"));
            double realRate;
            try (ConsumerProcess consumer = ConsumerProcess.start(env, work.resolve("consumer.log"), "2g")) {
                long start = 0;
                long deadline = System.nanoTime() + 300_000_000_000L;
                while (System.nanoTime() < deadline) {
                    JsonNode m = metrics(consumer);
                    if (m != null && start == 0 && m.at("/meters/ingest.recordsIn/count").asLong() > 0) start = System.nanoTime();
                    if (m != null && m.at("/meters/ingest.eventsWritten/count").asLong() >= events) break;
                    Thread.sleep(100);
                }
                if (start == 0) throw new IllegalStateException("consumer never read a record; see " + consumer.log());
                realRate = events / seconds(start);
                // let the checkpoint tier finish: profiles, S3 objects, checkpoints
                waitFor(() -> metric(consumer, "/meters/ingest.eventsWritten/count") >= events
                        && metric(consumer, "/gauges/ingest.oldestUnflushedMillis/value") == 0, 120);
                JsonNode m = metrics(consumer);
                Map<String, Long> requests = new HashMap<>();
                m.get("meters").fields().forEachRemaining(f -> {
                    if (f.getKey().startsWith("aws.")) requests.put(f.getKey().substring(4), f.getValue().get("count").asLong());
                });
                long ddbWrites = sum(requests, "DynamoDB.BatchWriteItem", "DynamoDB.PutItem", "DynamoDB.UpdateItem", "DynamoDB.DeleteItem");
                long s3Writes = sum(requests, "S3.PutObject", "S3.CreateMultipartUpload", "S3.UploadPart", "S3.CompleteMultipartUpload");
                long rawObjects = stack.s3().listObjectsV2Paginator(b -> b.bucket(real.bucket()).prefix(S3Layout.RAW_PREFIX))
                        .contents().stream().count();
                long profilePuts = requests.getOrDefault("DynamoDB.PutItem", 0L);
                result.put("noop_events_per_second", Math.round(noOpRate));
                result.put("consumer_events_per_second", Math.round(realRate));
                result.put("ratio_to_noop", round(realRate / noOpRate, 3));
                result.put("write_requests_per_1000_events", round((ddbWrites + s3Writes) * 1000.0 / events, 1));
                result.put("dynamodb_write_requests_per_1000_events", round(ddbWrites * 1000.0 / events, 1));
                result.put("s3_write_requests_per_1000_events", round(s3Writes * 1000.0 / events, 2));
                // DynamoDB on-demand bills per item written, not per request: report that too
                result.put("dynamodb_items_written_per_1000_events", round((events + profilePuts) * 1000.0 / events, 1));
                result.put("s3_objects_per_1000_events", round(rawObjects * 1000.0 / events, 2));
                result.set("requests_by_operation", JSON.valueToTree(requests));

                // 3. latency: steady trickle while the consumer is caught up
                result.setAll(latency(stack, real, consumer, latencyEvents));
            }
        }
        System.out.println(JSON.writeValueAsString(result));
        System.out.printf("ingest: consumer %,d ev/s vs no-op %,d ev/s (ratio %.2f) on %d shards; %.0f write requests and %.2f S3 objects "
                        + "per 1,000 events; PutRecord->queryable p50 %d ms, p99 %d ms%n",
                result.get("consumer_events_per_second").asLong(), result.get("noop_events_per_second").asLong(),
                result.get("ratio_to_noop").asDouble(), shards, result.get("write_requests_per_1000_events").asDouble(),
                result.get("s3_objects_per_1000_events").asDouble(), result.get("latency_p50_ms").asLong(),
                result.get("latency_p99_ms").asLong());
    }

    /**
     * Sends events at a steady rate with PutRecords, remembering when each send started; the row's
     * {@code ingested_at} (set just before its BatchWriteItem) plus the p99 of that write's duration
     * bounds when it became queryable. Same machine, same clock.
     */
    private static ObjectNode latency(LocalStack stack, Deployment d, ConsumerProcess consumer, int count) throws Exception {
        Endpoints e = stack.endpoints();
        double rate = 300; // kinesis-mock's PutRecords tops out around 500/s
        Map<String, Long> sentAt = new HashMap<>();
        List<InteractionEvent> events = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            events.add(InteractionEvent.of("lat-" + i, SyntheticWorkload.userId(i % 500), SyntheticWorkload.itemId(i % 97), "view", now));
        }
        try (EventProducer producer = Producers.create(ProducerConfig.local(ProducerConfig.Mode.PUT_RECORDS, d.stream(), e.kinesis(),
                e.accessKey(), e.secretKey()))) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) Thread.sleep(1);
                sentAt.put(events.get(i).eventId(), System.currentTimeMillis());
                producer.send(events.get(i));
            }
            producer.flush();
        }
        waitFor(() -> rowsPresent(stack, d, events) == count, 120);
        double writeP99 = metric(consumer, "/timers/ingest.interactionFlush/p99"); // seconds by Dropwizard default
        long[] latencies = new long[count];
        int i = 0;
        for (Map<String, AttributeValue> row : rows(stack, d, events)) {
            long ingested = Long.parseLong(row.get("ingested_at").n());
            latencies[i++] = ingested - sentAt.get(row.get("event_id").s()) + Math.round(writeP99 * 1000);
        }
        Arrays.sort(latencies, 0, i);
        ObjectNode out = JSON.createObjectNode();
        out.put("latency_events", i).put("latency_rate_per_second", rate);
        out.put("latency_p50_ms", latencies[i / 2]).put("latency_p99_ms", latencies[(int) Math.min(i - 1, Math.ceil(i * 0.99) - 1)]);
        out.put("latency_max_ms", latencies[i - 1]);
        return out;
    }

    private static long rowsPresent(LocalStack stack, Deployment d, List<InteractionEvent> events) {
        return rows(stack, d, events).size();
    }

    private static List<Map<String, AttributeValue>> rows(LocalStack stack, Deployment d, List<InteractionEvent> events) {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = events.subList(i, Math.min(events.size(), i + 100)).stream()
                    .map(ev -> Map.of(InteractionKeys.PARTITION_KEY, AttributeValue.fromS(ev.userId()),
                            InteractionKeys.SORT_KEY, AttributeValue.fromS(InteractionKeys.sortKey(ev.timestampMillis(), ev.eventId()))))
                    .toList();
            Map<String, KeysAndAttributes> request = Map.of(d.interactionsTable(), KeysAndAttributes.builder().keys(keys).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> current = request;
                var r = stack.dynamoDb().batchGetItem(b -> b.requestItems(current));
                rows.addAll(r.responses().getOrDefault(d.interactionsTable(), List.of()));
                if (!r.hasUnprocessedKeys() || r.unprocessedKeys().isEmpty()) break;
                request = r.unprocessedKeys();
            }
        }
        return rows;
    }

    private static AwsSettings aws(Endpoints e) {
        AwsSettings a = new AwsSettings();
        a.region = e.region();
        a.kinesisEndpoint = e.kinesis().toString();
        a.dynamoDbEndpoint = e.dynamodb().toString();
        a.cloudWatchEndpoint = "http://127.0.0.1:9";
        a.accessKeyId = e.accessKey();
        a.secretAccessKey = e.secretKey();
        a.trustAllCertificates = true;
        return a;
    }

    /** The same KCL settings ConsumerProcess gives the real consumer. */
    private static KclSettings kcl(String stream, String application) {
        KclSettings k = new KclSettings();
        k.streamName = stream;
        k.applicationName = application;
        k.workerId = application + "-worker";
        k.shardSyncIntervalMillis = 1_000;
        k.failoverTimeMillis = 2_000;
        return k;
    }

    private static JsonNode metrics(ConsumerProcess consumer) {
        String body = consumer.admin("/metrics");
        try {
            return body == null ? null : JSON.readTree(body);
        } catch (Exception ex) {
            return null;
        }
    }

    private static double metric(ConsumerProcess consumer, String pointer) {
        JsonNode m = metrics(consumer);
        return m == null ? -1 : m.at(pointer).asDouble(-1);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("benchmark step timed out after " + seconds + " s");
            Thread.sleep(100);
        }
    }

    private static long sum(Map<String, Long> m, String... keys) {
        long s = 0;
        for (String k : keys) s += m.getOrDefault(k, 0L);
        return s;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
