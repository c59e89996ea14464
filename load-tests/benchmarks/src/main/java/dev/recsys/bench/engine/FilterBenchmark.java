package dev.recsys.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.StackOptions;
import dev.recsys.personalize.engine.PersonalizeEngine;
import dev.recsys.personalize.engine.config.EngineConfig;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What a filter costs the engine's GetRecommendations on a 20,000-item catalog: unfiltered requests (the yardstick)
 * interleaved with the same users' requests through a category filter with a {@code $CATEGORY} value (≈ 5% of the
 * catalog kept), an EVENT_TYPE filter (exclude purchased) and the default filter (purchased or unavailable), so drift
 * on a shared machine hits every kind alike. Every filtered answer is checked against the catalog. Prints one JSON
 * object and one line. Arguments (defaults): events 200000, users 5000, items 20000, queries per kind 2000.
 * {@code ./mvnw -q -pl load-tests/benchmarks exec:java -Dexec.mainClass=dev.recsys.bench.engine.FilterBenchmark}
 */
public final class FilterBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "filter-bench";
    private static final int CLUSTERS = 20;
    private static final List<String> KINDS = List.of("unfiltered", "category", "not-purchased", "default");

    private FilterBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int items = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int queries = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        SyntheticWorkload.Config config = new SyntheticWorkload.Config(11, users, items, CLUSTERS, 0.9, 0.8, 0.85, events,
                1_700_000_000_000L, 5);
        SyntheticWorkload workload = new SyntheticWorkload(config);
        List<CatalogItem> catalog = workload.catalog(1_700_000_000_000L);
        Map<String, CatalogItem> byId = new HashMap<>();
        catalog.forEach(i -> byId.put(i.itemId(), i));

        Path state = Files.createTempDirectory("filter-bench-");
        try (LocalStack stack = LocalStack.start(StackOptions.of(Service.S3))) {
            stack.createBucket(BUCKET);
            stack.s3().putObject(b -> b.bucket(BUCKET).key(S3Layout.PREPARED_PREFIX + "bench/part-00000.csv"),
                    RequestBody.fromFile(interactionsCsv(workload, state.resolve("interactions.csv"))));
            stack.s3().putObject(b -> b.bucket(BUCKET).key("catalog-bench/part-00000.csv"),
                    RequestBody.fromFile(itemsCsv(catalog, state.resolve("items.csv"))));
            EngineConfig engineConfig = EngineConfig.local(state.resolve("engine"), stack.endpoints().s3(),
                    stack.endpoints().accessKey(), stack.endpoints().secretKey(), BUCKET).withStepDelay(Duration.ofMillis(50));
            try (PersonalizeEngine engine = PersonalizeEngine.start(engineConfig)) {
                EngineApi api = new EngineApi(engine.endpoint());
                String dg = api.control("CreateDatasetGroup", o -> o.put("name", "bench")).get("datasetGroupArn").asText();
                api.waitActive("DescribeDatasetGroup", "datasetGroupArn", dg, "datasetGroup");
                importInto(api, dg, "Interactions", "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":["
                        + "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                        + "{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}]}",
                        "s3://" + BUCKET + "/" + S3Layout.PREPARED_PREFIX + "bench/");
                importInto(api, dg, "Items", ItemsDataset.schemaJson(), "s3://" + BUCKET + "/catalog-bench/");

                String solution = api.control("CreateSolution", o -> {
                    o.put("name", "bench").put("datasetGroupArn", dg).put("recipeArn", "arn:aws:personalize:::recipe/aws-user-personalization");
                    // The recipe's default cap (5,000 modelled items, the rest by popularity) trains for minutes here; a
                    // filter's cost does not depend on how many items the model itself scores.
                    o.putObject("solutionConfig").putObject("algorithmHyperParameters").put("max_items", "2000");
                }).get("solutionArn").asText();
                api.waitActive("DescribeSolution", "solutionArn", solution, "solution");
                String version = api.control("CreateSolutionVersion", o -> o.put("solutionArn", solution)).get("solutionVersionArn").asText();
                api.waitActive("DescribeSolutionVersion", "solutionVersionArn", version, "solutionVersion");
                String campaign = api.control("CreateCampaign", o -> o.put("name", "bench").put("solutionVersionArn", version))
                        .get("campaignArn").asText();
                api.waitActive("DescribeCampaign", "campaignArn", campaign, "campaign");
                Map<String, String> filters = new LinkedHashMap<>();
                filters.put("category", filter(api, dg, "category", "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)"));
                filters.put("not-purchased", filter(api, dg, "not-purchased", "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")"));
                filters.put("default", filter(api, dg, "default", "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")"
                        + " | EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")"));

                Map<String, long[]> nanos = measure(api, campaign, filters, workload, byId, users, queries);
                ObjectNode out = JSON.createObjectNode();
                out.put("benchmark", "engine-filters").put("cores", Runtime.getRuntime().availableProcessors())
                        .put("interactions", events).put("users", users).put("catalogItems", items).put("queriesPerKind", queries)
                        .put("numResults", 25).put("recipe", "aws-user-personalization (EASE, max_items 2000)");
                double baseP99 = percentile(nanos.get("unfiltered"), 0.99);
                for (String kind : KINDS) {
                    long[] n = nanos.get(kind);
                    out.putObject(kind).put("p50Ms", ms(percentile(n, 0.50))).put("p99Ms", ms(percentile(n, 0.99)))
                            .put("p99VsUnfiltered", Math.round(percentile(n, 0.99) / baseP99 * 100) / 100.0);
                }
                System.out.println(JSON.writeValueAsString(out));
                System.out.printf("engine filters on %,d items: GetRecommendations p99 unfiltered %.2f ms, category %.2f ms,"
                                + " not-purchased %.2f ms, default %.2f ms (%,d queries each, interleaved)%n", items, ms(baseP99),
                        ms(percentile(nanos.get("category"), 0.99)), ms(percentile(nanos.get("not-purchased"), 0.99)),
                        ms(percentile(nanos.get("default"), 0.99)), queries);
            }
        } finally {
            try (var paths = Files.walk(state)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One request of each kind per step, for the same user; the first 10% of steps warm up and are discarded. */
    private static Map<String, long[]> measure(EngineApi api, String campaign, Map<String, String> filters, SyntheticWorkload workload,
                                               Map<String, CatalogItem> catalog, int users, int queries) throws Exception {
        Map<String, long[]> nanos = new LinkedHashMap<>();
        KINDS.forEach(k -> nanos.put(k, new long[queries]));
        SplittableRandom random = new SplittableRandom(5);
        int warmup = queries / 10;
        for (int q = 0; q < queries + warmup; q++) {
            String user = SyntheticWorkload.userId(random.nextInt(users));
            String category = workload.categoryOfCluster(random.nextInt(CLUSTERS));
            for (String kind : KINDS) {
                long s = System.nanoTime();
                JsonNode r = api.runtime("/recommendations", o -> {
                    o.put("campaignArn", campaign).put("userId", user).put("numResults", 25);
                    if (!kind.equals("unfiltered")) o.put("filterArn", filters.get(kind));
                    if (kind.equals("category")) o.putObject("filterValues").put("CATEGORY", "\"" + category + "\"");
                });
                long d = System.nanoTime() - s;
                for (JsonNode i : r.path("itemList")) {
                    CatalogItem item = catalog.get(i.path("itemId").asText());
                    boolean wrong = kind.equals("category") ? !category.equals(item.category())
                            : kind.equals("default") && Boolean.FALSE.equals(item.available());
                    if (wrong) throw new IllegalStateException(kind + " filter let " + item.itemId() + " through for " + user);
                }
                if (q >= warmup) nanos.get(kind)[q - warmup] = d;
            }
        }
        return nanos;
    }

    private static void importInto(EngineApi api, String dg, String type, String schemaJson, String location) throws Exception {
        String schema = api.control("CreateSchema", o -> o.put("name", "bench-" + type).put("schema", schemaJson)).get("schemaArn").asText();
        String ds = api.control("CreateDataset", o -> o.put("name", "bench-" + type).put("datasetGroupArn", dg)
                .put("schemaArn", schema).put("datasetType", type)).get("datasetArn").asText();
        api.waitActive("DescribeDataset", "datasetArn", ds, "dataset");
        String job = api.control("CreateDatasetImportJob", o -> {
            o.put("jobName", "bench-" + type).put("datasetArn", ds).put("roleArn", "arn:aws:iam::000000000000:role/p");
            o.putObject("dataSource").put("dataLocation", location);
        }).get("datasetImportJobArn").asText();
        api.waitActive("DescribeDatasetImportJob", "datasetImportJobArn", job, "datasetImportJob");
    }

    private static String filter(EngineApi api, String dg, String name, String expression) throws Exception {
        String arn = api.control("CreateFilter", o -> o.put("name", name).put("datasetGroupArn", dg).put("filterExpression", expression))
                .get("filterArn").asText();
        api.waitActive("DescribeFilter", "filterArn", arn, "filter");
        return arn;
    }

    private static Path interactionsCsv(SyntheticWorkload workload, Path file) throws java.io.IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\n");
            for (InteractionEvent e : workload) {
                w.write(e.userId() + "," + e.itemId() + "," + e.eventType() + "," + e.timestampMillis() / 1000 + "\n");
            }
        }
        return file;
    }

    private static Path itemsCsv(List<CatalogItem> catalog, Path file) throws java.io.IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", ItemsDataset.COLUMNS) + "\n");
            for (CatalogItem item : catalog) w.write(String.join(",", ItemsDataset.row(item)) + "\n");
        }
        return file;
    }

    private static double percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static double ms(double nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
