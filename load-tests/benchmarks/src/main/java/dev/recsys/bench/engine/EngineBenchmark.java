package dev.recsys.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.StackOptions;
import dev.recsys.personalize.engine.PersonalizeEngine;
import dev.recsys.personalize.engine.config.EngineConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Trains aws-user-personalization on 1,000,000 synthetic interactions through the engine's own APIs
 * (CSV in S3 -> import -> solution version -> campaign) and measures the runtime API. Prints one
 * JSON object and one text line. Run with the heap cap the target names (arguments optional, defaults shown):
 * {@code ./mvnw -q -pl load-tests/benchmarks exec:exec -Dexec.executable=java
 * -Dexec.args="-Xmx2g -cp %classpath dev.recsys.bench.engine.EngineBenchmark 1000000 20000 2000 5000"}
 * (events, users, items, queries).
 */
public final class EngineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "engine-bench";

    private EngineBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int items = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        int queries = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
        SyntheticWorkload.Config workload = new SyntheticWorkload.Config(11, users, items, 20, 0.9, 0.8, 0.85,
                events, 1_700_000_000_000L, 5);

        Path state = Files.createTempDirectory("engine-bench-");
        try (LocalStack stack = LocalStack.start(StackOptions.of(Service.S3))) {
            stack.createBucket(BUCKET);
            Path csv = writeCsv(workload, state.resolve("interactions.csv"));
            stack.s3().putObject(b -> b.bucket(BUCKET).key(S3Layout.PREPARED_PREFIX + "bench/part-00000.csv"), RequestBody.fromFile(csv));
            Files.delete(csv);

            int cores = Runtime.getRuntime().availableProcessors();
            EngineConfig config = EngineConfig.local(state.resolve("engine"), stack.endpoints().s3(),
                    stack.endpoints().accessKey(), stack.endpoints().secretKey(), BUCKET).withStepDelay(Duration.ofMillis(50));
            try (PersonalizeEngine engine = PersonalizeEngine.start(config)) {
                EngineApi api = new EngineApi(engine.endpoint());
                String dg = api.control("CreateDatasetGroup", o -> o.put("name", "bench")).get("datasetGroupArn").asText();
                api.waitActive("DescribeDatasetGroup", "datasetGroupArn", dg, "datasetGroup");
                String schema = api.control("CreateSchema", o -> o.put("name", "bench").put("schema",
                        "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                + "{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
                                + "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}]}")).get("schemaArn").asText();
                String ds = api.control("CreateDataset", o -> o.put("name", "bench").put("datasetGroupArn", dg)
                        .put("schemaArn", schema).put("datasetType", "Interactions")).get("datasetArn").asText();
                api.waitActive("DescribeDataset", "datasetArn", ds, "dataset");

                long t0 = System.nanoTime();
                String job = api.control("CreateDatasetImportJob", o -> {
                    o.put("jobName", "bench").put("datasetArn", ds).put("roleArn", "arn:aws:iam::000000000000:role/p");
                    o.putObject("dataSource").put("dataLocation", "s3://" + BUCKET + "/prepared/bench/");
                }).get("datasetImportJobArn").asText();
                api.waitActive("DescribeDatasetImportJob", "datasetImportJobArn", job, "datasetImportJob");
                double importSeconds = (System.nanoTime() - t0) / 1e9;

                String solution = api.control("CreateSolution", o -> o.put("name", "bench").put("datasetGroupArn", dg)
                        .put("recipeArn", "arn:aws:personalize:::recipe/aws-user-personalization")).get("solutionArn").asText();
                api.waitActive("DescribeSolution", "solutionArn", solution, "solution");

                HeapSampler heap = HeapSampler.start();
                t0 = System.nanoTime();
                String version = api.control("CreateSolutionVersion", o -> o.put("solutionArn", solution)).get("solutionVersionArn").asText();
                JsonNode sv = api.waitActive("DescribeSolutionVersion", "solutionVersionArn", version, "solutionVersion");
                double wallSeconds = (System.nanoTime() - t0) / 1e9;
                long peakHeap = heap.stop();
                double trainingSeconds = sv.path("trainingHours").asDouble() * 3600;
                JsonNode metrics = api.control("GetSolutionMetrics", o -> o.put("solutionVersionArn", version)).get("metrics");

                String campaign = api.control("CreateCampaign", o -> o.put("name", "bench").put("solutionVersionArn", version))
                        .get("campaignArn").asText();
                api.waitActive("DescribeCampaign", "campaignArn", campaign, "campaign");

                Latency latency = measure(api, campaign, users, queries);
                ObjectNode out = JSON.createObjectNode();
                out.put("benchmark", "personalize-engine").put("cores", cores)
                        .put("heapMaxMb", Runtime.getRuntime().maxMemory() >> 20)
                        .put("interactions", events).put("users", users).put("items", items)
                        .put("recipe", "aws-user-personalization (EASE)")
                        .put("importSeconds", round(importSeconds))
                        .put("trainingSeconds", round(trainingSeconds))
                        .put("solutionVersionWallSeconds", round(wallSeconds))
                        .put("trainingPeakHeapMb", peakHeap >> 20)
                        .put("ndcgAt10", round(metrics.path("normalized_discounted_cumulative_gain_at_10").asDouble()))
                        .put("queries", queries)
                        .put("queryP50Ms", round(latency.p50)).put("queryP99Ms", round(latency.p99))
                        .put("queryMaxMs", round(latency.max)).put("queriesPerSecond", round(latency.qps));
                out.put("targets", "training <= 60 s, peak heap <= 2048 MB on 2 cores");
                System.out.println(JSON.writeValueAsString(out));
                System.out.printf("engine: trained EASE on %,d interactions in %.1f s (peak heap %d MB, max %d MB), "
                                + "GetRecommendations p99 %.2f ms over %,d queries%n", events, trainingSeconds, peakHeap >> 20,
                        Runtime.getRuntime().maxMemory() >> 20, latency.p99, queries);
            }
        } finally {
            deleteRecursively(state);
        }
    }

    private record Latency(double p50, double p99, double max, double qps) {}

    /** Two client threads (the machine has two cores; the server needs them too), 10% warm-up discarded. */
    private static Latency measure(EngineApi api, String campaign, int users, int queries) throws Exception {
        int threads = 2;
        int warmup = queries / 10;
        long[] nanos = new long[queries];
        AtomicLong next = new AtomicLong();
        Thread[] workers = new Thread[threads];
        Exception[] failure = new Exception[1];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(t);
            workers[t] = new Thread(() -> {
                try {
                    for (long q; (q = next.getAndIncrement()) < queries + warmup; ) {
                        String user = SyntheticWorkload.userId(random.nextInt(users));
                        long s = System.nanoTime();
                        JsonNode r = api.runtime("/recommendations", o -> o.put("campaignArn", campaign).put("userId", user).put("numResults", 25));
                        long d = System.nanoTime() - s;
                        if (r.path("itemList").size() != 25) throw new IllegalStateException("short answer: " + r);
                        if (q >= warmup) nanos[(int) (q - warmup)] = d;
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) w.join();
        if (failure[0] != null) throw failure[0];
        double seconds = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(nanos);
        return new Latency(nanos[queries / 2] / 1e6, nanos[(int) Math.ceil(queries * 0.99) - 1] / 1e6,
                nanos[queries - 1] / 1e6, (queries + warmup) / seconds);
    }

    private static Path writeCsv(SyntheticWorkload.Config config, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\n");
            for (InteractionEvent e : new SyntheticWorkload(config)) {
                w.write(e.userId() + "," + e.itemId() + "," + e.eventType() + "," + e.timestampMillis() / 1000 + "\n");
            }
        }
        return file;
    }

    /** Samples used heap every 10 ms: the peak live footprint while training, sampled. */
    private static final class HeapSampler {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long peak;

        private HeapSampler() {
            thread = new Thread(() -> {
                while (running) {
                    peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
        }

        static HeapSampler start() {
            System.gc();
            HeapSampler s = new HeapSampler();
            s.thread.start();
            return s;
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return peak;
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
