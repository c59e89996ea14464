package dev.recsys.bench.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import dev.recsys.local.stack.process.Ports;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.Producers;
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
 *   <li>streams a steady trickle with PutRecords and measures PutRecord → queryable latency per event;</li>
 *   <li>redeploys the consumer (SIGTERM, then a new JVM, as a replace deploy does) and measures the same latency
 *       over the first minute after the new one holds every lease;</li>
 *   <li>pre-loads exposures and the clicks and purchases they lead to (half naming their answer, half left to
 *       the window rule) and times one consumer attributing them, first record to last credit.</li>
 * </ol>
 * Prints one JSON object and one line of text.
 *
 * <p>Why one class of this size: the phases above share one stack, one stream and one consumer, in this order; each
 * is one method.
 */
public final class IngestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int shards = 4;
        int latencyEvents = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
        int attributionUsers = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        Path work = Files.createTempDirectory("recsys-bench-ingest");
        ObjectNode result = JSON.createObjectNode();
        result.put("benchmark", "ingest").put("events", events).put("shards", shards);

        try (LocalStack stack = LocalStack.start(StackOptions.all())) {
            Endpoints e = stack.endpoints();
            Deployment standard = Deployment.standard();
            Deployment real = new Deployment("bench", "bench-consumer", standard.interactionsTable(), standard.profilesTable(),
                    standard.exposuresTable(), standard.experimentUsersTable(), standard.experimentsTable(), standard.itemsTable(),
                    standard.usersTable(), standard.bucket());
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

            // 0. the emulator's own write ceiling, for reading the figures below
            result.put("dynalite_raw_batchwrite_items_per_second", Math.round(dynamoWriteCeiling(stack, 20_000)));

            // 1. the yardstick
            double noOpRate;
            try (NoOpConsumer noOp = new NoOpConsumer(aws(e), kcl(real.stream(), "bench-noop"))) {
                noOp.start();
                waitFor(() -> noOp.records.get() >= events, 300);
                noOpRate = events / seconds(noOp.firstRecordNanos);
            }

            // 2. the real consumer, configured like an ECS task
            int admin = Ports.freePort();
            Map<String, String> env = ConsumerProcess.environment(e, real, "bench-worker", Ports.freePort(), admin, Map.of(
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
                long ddbWrites = sum(requests, "DynamoDb.BatchWriteItem", "DynamoDb.PutItem", "DynamoDb.UpdateItem", "DynamoDb.DeleteItem");
                long s3Writes = sum(requests, "S3.PutObject", "S3.CreateMultipartUpload", "S3.UploadPart", "S3.CompleteMultipartUpload");
                long rawObjects = stack.s3().listObjectsV2Paginator(b -> b.bucket(real.bucket()).prefix(S3Layout.RAW_PREFIX))
                        .contents().stream().count();
                long profilePuts = requests.getOrDefault("DynamoDb.PutItem", 0L);
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
                result.setAll(latency(stack, real, consumer, latencyEvents, "latency"));
            }

            // 4. a redeploy: the old task stops (flushes, checkpoints, hands its leases back), a new one starts
            long stopped = System.nanoTime();
            try (ConsumerProcess redeployed = ConsumerProcess.start(ConsumerProcess.environment(e, real, "bench-worker-2",
                    Ports.freePort(), Ports.freePort(), Map.of("LOG_LEVEL", "WARN", "CHECKPOINT_INTERVAL", "10s")),
                    work.resolve("consumer-2.log"), "2g")) {
                waitFor(() -> ConsumerProcess.healthy(redeployed.admin("/healthcheck"), shards), 180);
                result.put("redeploy_seconds_to_all_leases", round(seconds(stopped), 1));
                result.setAll(latency(stack, real, redeployed, (int) (LATENCY_RATE * 60), "latency_after_redeploy"));

                // 5. attribution throughput
                result.setAll(attribution(stack, real, redeployed, attributionUsers));
            }
        }
        System.out.println(JSON.writeValueAsString(result));
        System.out.printf("ingest: consumer %,d ev/s vs no-op %,d ev/s (ratio %.2f; dynalite's raw write ceiling %,d items/s) on %d shards; %.0f write requests and %.2f S3 objects "
                        + "per 1,000 events; PutRecord->queryable p50 %d ms, p99 %d ms; in the first minute after a redeploy p50 %d ms, "
                        + "p99 %d ms; attribution %,d exposures/s (%,d credits/s)%n",
                result.get("consumer_events_per_second").asLong(), result.get("noop_events_per_second").asLong(),
                result.get("ratio_to_noop").asDouble(), result.get("dynalite_raw_batchwrite_items_per_second").asLong(), shards, result.get("write_requests_per_1000_events").asDouble(),
                result.get("s3_objects_per_1000_events").asDouble(), result.get("latency_p50_ms").asLong(),
                result.get("latency_p99_ms").asLong(), result.get("latency_after_redeploy_p50_ms").asLong(),
                result.get("latency_after_redeploy_p99_ms").asLong(), result.get("attribution_exposures_per_second").asLong(),
                result.get("attribution_credits_per_second").asLong());
    }

    /**
     * Sends events at a steady rate with PutRecords and watches for each one in DynamoDB: one poller
     * thread repeatedly BatchGets every pending key and records when each first becomes readable,
     * so the figure is PutRecord call → row queryable, measured from outside the consumer.
     */
    /** kinesis-mock's PutRecords tops out around 500/s. */
    /** A steady trickle kinesis-mock's PutRecords keeps up with for a minute on 2 cores (300/s did not). */
    private static final double LATENCY_RATE = 100;

    private static ObjectNode latency(LocalStack stack, Deployment d, ConsumerProcess consumer, int count, String name) throws Exception {
        Endpoints e = stack.endpoints();
        double rate = LATENCY_RATE;
        long now = System.currentTimeMillis();
        // PutRecord → queryable is timed from the stream's acknowledgement: the producer's own queue (kinesis-mock
        // takes a few hundred records/s) is reported apart, as send → acknowledged.
        Map<String, Long> ackedAtNanos = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Long> seenAtNanos = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Long> ackMs = new java.util.concurrent.ConcurrentHashMap<>(); // send → the stream acknowledged it
        java.util.concurrent.ConcurrentLinkedQueue<InteractionEvent> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (sending.get() || !pending.isEmpty()) {
                List<InteractionEvent> batch = new ArrayList<>();
                for (InteractionEvent ev : pending) {
                    if (batch.size() == 100) break;
                    batch.add(ev);
                }
                if (batch.isEmpty()) {
                    sleep(5);
                    continue;
                }
                long seenAt = System.nanoTime();
                for (Map<String, AttributeValue> row : rows(stack, d, batch)) {
                    seenAtNanos.putIfAbsent(row.get("event_id").s(), seenAt);
                }
                pending.removeIf(ev -> seenAtNanos.containsKey(ev.eventId()));
                // dynalite is one Node process: back-to-back reads of not-yet-written keys would slow the writes
                // being measured (and more pending keys, more reads). 25 ms is the figures' resolution.
                sleep(25);
            }
        }, "latency-poller");
        poller.start();
        try (EventProducer producer = Producers.create(ProducerConfig.local(ProducerConfig.Mode.PUT_RECORDS, d.stream(), e.kinesis(),
                e.accessKey(), e.secretKey()))) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) Thread.sleep(1);
                InteractionEvent ev = InteractionEvent.of(name + "-" + i, SyntheticWorkload.userId(i % 500),
                        SyntheticWorkload.itemId(i % 97), "view", now);
                long enqueued = System.nanoTime();
                if (i % 5 == 0) { // a 20% sample keeps the poller light on the emulator
                    pending.add(ev);
                    producer.send(ev).thenRun(() -> {
                        long acked = System.nanoTime();
                        ackedAtNanos.put(ev.eventId(), acked);
                        ackMs.put(ev.eventId(), (acked - enqueued) / 1_000_000);
                    });
                } else {
                    producer.send(ev);
                }
            }
            producer.flush();
        } finally {
            sending.set(false);
        }
        poller.join(120_000);
        // Seen before the acknowledgement reached us (PutRecords answers after the write): 0 ms.
        long[] latencies = seenAtNanos.entrySet().stream()
                .mapToLong(en -> Math.max(0, (en.getValue() - ackedAtNanos.getOrDefault(en.getKey(), en.getValue())) / 1_000_000))
                .sorted().toArray();
        int n = latencies.length;
        ObjectNode out = JSON.createObjectNode();
        out.put(name + "_samples", n).put(name + "_rate_per_second", rate);
        out.put(name + "_p50_ms", latencies[n / 2]).put(name + "_p99_ms", latencies[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)]);
        out.put(name + "_max_ms", latencies[n - 1]);
        // Max per 10 s of sending: tells a slow start (a redeploy's first seconds) from a steady tail.
        long first = ackedAtNanos.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long[] worst = new long[(int) Math.ceil(count / rate / 10.0) + 1];
        seenAtNanos.forEach((id, seen) -> {
            Long acked = ackedAtNanos.get(id);
            if (acked == null) return;
            int bucket = (int) Math.min(worst.length - 1, (acked - first) / 10_000_000_000L);
            worst[bucket] = Math.max(worst[bucket], Math.max(0, (seen - acked) / 1_000_000));
        });
        ArrayNode byTen = out.putArray(name + "_max_ms_per_10s");
        for (long w : worst) byTen.add(w);
        // How much of it the producer's own queue and PutRecords took: what is left is the consumer's.
        long[] acks = ackMs.values().stream().mapToLong(Long::longValue).sorted().toArray();
        out.put(name + "_put_ack_p50_ms", acks[acks.length / 2])
                .put(name + "_put_ack_p99_ms", acks[(int) Math.min(acks.length - 1, Math.ceil(acks.length * 0.99) - 1)]);
        // The consumer's own account of the last minute: where a slow record waited (KCL delivery, our flush, the checkpoint tier).
        JsonNode timers = metrics(consumer).get("timers");
        for (String t : List.of("ingest.deliveryDelay", "ingest.queryableDelay", "ingest.interactionFlush", "ingest.checkpointFlush")) {
            JsonNode timer = timers.get(t);
            double toMs = "milliseconds".equals(timer.path("duration_units").asText()) ? 1 : 1000;
            String key = name + "_consumer_" + t.substring("ingest.".length());
            out.put(key + "_p99_ms", Math.round(timer.get("p99").asDouble() * toMs)).put(key + "_max_ms", Math.round(timer.get("max").asDouble() * toMs));
        }
        return out;
    }

    /**
     * Per user two answers of ten items, a click that names its answer, a click left to the window rule and,
     * for every other user, a purchase: the exposures are put first and the interactions once the stream has
     * acknowledged them (an interaction that reaches the stream before its answer is never credited, and the KPL
     * does not keep order across its batches), timed from the consumer's first new record to its last credit
     * (every exposure and every interaction credited).
     */
    private static ObjectNode attribution(LocalStack stack, Deployment d, ConsumerProcess consumer, int users) throws Exception {
        long exposuresBefore = (long) metric(consumer, "/meters/attribution.exposures/count");
        long creditsBefore = (long) (metric(consumer, "/meters/attribution.clicks/count")
                + metric(consumer, "/meters/attribution.conversions/count"));
        long recordsBefore = (long) metric(consumer, "/meters/ingest.recordsIn/count");
        long t = System.currentTimeMillis() - 60_000;
        List<String[]> shown = new ArrayList<>(); // {partition key, json}
        List<String[]> acted = new ArrayList<>();
        long exposures = 0, interactions = 0;
        for (int u = 0; u < users; u++) {
            String user = "attr-user-" + u;
            for (int a = 0; a < 2; a++) {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < 10; i++) items.add(SyntheticWorkload.itemId((u * 7 + a * 13 + i) % 500));
                shown.add(new String[] {user, dev.recsys.common.event.EventJson.toJson(new dev.recsys.common.event.Exposure(
                        "rec-" + u + "-" + a, t + a, dev.recsys.common.event.Exposure.USER_RECOMMENDATIONS, "bench", u % 2 == 0 ? "a" : "b",
                        null, "run-1", "RID-" + u + "-" + a, "personalize", null, user, null, items, false))});
                exposures++;
            }
            acted.add(new String[] {user, dev.recsys.common.event.EventJson.toJson(new InteractionEvent("ac-" + u, user,
                    SyntheticWorkload.itemId((u * 7 + 2) % 500), "click", null, t + 10, null, Map.of(), "rec-" + u + "-0"))});
            acted.add(new String[] {user, dev.recsys.common.event.EventJson.toJson(InteractionEvent.of("aw-" + u, user,
                    SyntheticWorkload.itemId((u * 7 + 13 + 3) % 500), "click", t + 20))});
            interactions += 2;
            if (u % 2 == 0) {
                acted.add(new String[] {user, dev.recsys.common.event.EventJson.toJson(InteractionEvent.of("ap-" + u, user,
                        SyntheticWorkload.itemId((u * 7 + 2) % 500), "purchase", t + 30))});
                interactions++;
            }
        }
        Endpoints e = stack.endpoints();
        long sendStart = System.nanoTime();
        try (EventProducer kpl = Producers.create(ProducerConfig.local(ProducerConfig.Mode.KPL, d.stream(), e.kinesis(),
                e.accessKey(), e.secretKey()))) {
            for (List<String[]> batch : List.of(shown, acted)) {
                List<java.util.concurrent.CompletableFuture<Void>> sent = new ArrayList<>();
                for (String[] r : batch) sent.add(kpl.sendRaw(r[0], r[1].getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                java.util.concurrent.CompletableFuture.allOf(sent.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
            }
        }
        long expectedExposures = exposuresBefore + exposures, expectedCredits = creditsBefore + interactions;
        long unattributedBefore = (long) metric(consumer, "/gauges/attribution.unattributed/value");
        long[] first = {0};
        long sentInteractions = interactions;
        waitFor(() -> {
            if (first[0] == 0 && metric(consumer, "/meters/ingest.recordsIn/count") > recordsBefore) first[0] = System.nanoTime();
            long credits = (long) (metric(consumer, "/meters/attribution.clicks/count") + metric(consumer, "/meters/attribution.conversions/count"));
            long missed = (long) metric(consumer, "/gauges/attribution.unattributed/value") - unattributedBefore;
            if (missed > 0) {
                throw new IllegalStateException(missed + " interactions found no answer (" + (credits - creditsBefore) + " of "
                        + sentInteractions + " credited)");
            }
            return metric(consumer, "/meters/attribution.exposures/count") >= expectedExposures && credits >= expectedCredits;
        }, 600);
        double secs = seconds(first[0] == 0 ? sendStart : first[0]);
        ObjectNode out = JSON.createObjectNode();
        out.put("attribution_users", users).put("attribution_exposures", exposures).put("attribution_interactions", interactions);
        out.put("attribution_seconds", round(secs, 1));
        out.put("attribution_exposures_per_second", Math.round(exposures / secs));
        out.put("attribution_credits_per_second", Math.round((exposures + interactions) / secs));
        out.put("attribution_unattributed", (long) metric(consumer, "/gauges/attribution.unattributed/value"));
        return out;
    }

    /** The emulator's own ceiling: raw BatchWriteItem of 25 small items, as concurrent as the consumer's writes. */
    private static double dynamoWriteCeiling(LocalStack stack, int items) throws Exception {
        String table = "ceiling";
        stack.dynamoDb().createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH")));
        stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName(table));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        long t0 = System.nanoTime();
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < items; i += 25) {
            int from = i;
            futures.add(pool.submit(() -> {
                List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> writes = new ArrayList<>();
                for (int j = from; j < from + 25; j++) {
                    writes.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(Map.of(
                            "pk", AttributeValue.fromS("k" + from + "-" + writes.size()),
                            "payload", AttributeValue.fromS("item-000123 view 1764050000000 s-12-3")))).build());
                }
                var left = writes;
                while (!left.isEmpty()) {
                    var current = left;
                    left = stack.dynamoDb().batchWriteItem(b -> b.requestItems(Map.of(table, current)))
                            .unprocessedItems().getOrDefault(table, List.of());
                }
            }));
        }
        for (var f : futures) f.get();
        pool.shutdown();
        return items / seconds(t0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static long rowsPresent(LocalStack stack, Deployment d, List<InteractionEvent> events) {
        return rows(stack, d, events).size();
    }

    private static List<Map<String, AttributeValue>> rows(LocalStack stack, Deployment d, List<InteractionEvent> events) {
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = events.subList(i, Math.min(events.size(), i + 100)).stream()
                    .map(ev -> Map.of(InteractionKeys.PARTITION_KEY, AttributeValue.fromS(ev.userId()),
                            InteractionKeys.SORT_KEY, AttributeValue.fromS(ev.eventId())))
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

}
