package dev.recsys.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.bench.api.ApiRig;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.consumer.config.StoreSettings;
import dev.recsys.consumer.lifecycle.StoreBootstrap;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.StackOptions;
import dev.recsys.personalize.engine.PersonalizeEngine;
import dev.recsys.personalize.engine.config.EngineConfig;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * What a filter costs on a 20,000-item catalog, at the engine's GetRecommendations and through the API (Lambda handler,
 * Redis cache, Resilience4j, SDK client, in front of the same engine): unfiltered requests (the yardstick) interleaved
 * with the same users' requests through a category filter with a {@code $CATEGORY} value (≈ 5% of the catalog kept), an
 * EVENT_TYPE filter (exclude purchased) and the default filter (purchased or unavailable), so drift on a shared machine
 * hits every kind alike (and each kind goes first in a quarter of the steps). Every step asks for a user not asked before, so the API's figures are cache misses, each
 * answered by the model (checked). Every filtered answer is checked against the catalog. Prints one JSON object and one
 * line. Arguments (defaults): events 200000, users 5000, items 20000, queries per kind 2000 (at most users / 1.1).
 * {@code ./mvnw -q -pl load-tests/benchmarks exec:java -Dexec.mainClass=dev.recsys.bench.engine.FilterBenchmark}
 */
public final class FilterBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "filter-bench";
    private static final int CLUSTERS = 20;
    private static final List<String> KINDS = List.of("unfiltered", "category", "not-purchased", "default");
    private static final Map<String, String> EXPRESSIONS = Map.of(
            "category", "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)",
            "not-purchased", "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")",
            "default", "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\") | EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private FilterBenchmark() {}

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int items = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int queries = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        if (queries + queries / 10 > users) throw new IllegalArgumentException("every step needs a user of its own: queries ≤ users / 1.1");
        SyntheticWorkload.Config config = new SyntheticWorkload.Config(11, users, items, CLUSTERS, 0.9, 0.8, 0.85, events,
                1_700_000_000_000L, 5);
        SyntheticWorkload workload = new SyntheticWorkload(config);
        List<CatalogItem> catalog = workload.catalog(1_700_000_000_000L);
        Map<String, CatalogItem> byId = new HashMap<>();
        catalog.forEach(i -> byId.put(i.itemId(), i));

        Path state = Files.createTempDirectory("filter-bench-");
        try (LocalStack stack = LocalStack.start(StackOptions.of(Service.S3, Service.DYNAMODB))) {
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
                for (String kind : KINDS.subList(1, KINDS.size())) filters.put(kind, filter(api, dg, kind, EXPRESSIONS.get(kind)));

                Map<String, Map<String, long[]>> nanos;
                // The API needs the items and interactions tables for filters on Items fields and on Interactions (its
                // fallback answers apply them); model answers never read them, so they stay empty. Made as the consumer does.
                StoreSettings tables = new StoreSettings();
                tables.bucket = BUCKET;
                StoreBootstrap.ensure(stack.dynamoDbAsync(), stack.s3Async(), tables);
                try (ApiRig rig = ApiRig.over(engine.endpoint(), stack.endpoints().dynamodb(), apiEnvironment(campaign, filters, tables))) {
                    nanos = measure(api, rig.apiUri(), campaign, filters, workload, byId, users, queries);
                }
                ObjectNode out = JSON.createObjectNode();
                out.put("benchmark", "filters").put("cores", Runtime.getRuntime().availableProcessors())
                        .put("interactions", events).put("users", users).put("catalogItems", items).put("queriesPerKind", queries)
                        .put("numResults", 25).put("recipe", "aws-user-personalization (EASE, max_items 2000)");
                StringBuilder line = new StringBuilder("filters on " + String.format("%,d", items) + " items, p99:");
                for (Map.Entry<String, Map<String, long[]>> tier : nanos.entrySet()) {
                    ObjectNode t = out.putObject(tier.getKey());
                    double baseP99 = percentile(tier.getValue().get("unfiltered"), 0.99);
                    line.append(' ').append(tier.getKey());
                    for (String kind : KINDS) {
                        double p99 = percentile(tier.getValue().get(kind), 0.99);
                        t.putObject(kind).put("p50Ms", ms(percentile(tier.getValue().get(kind), 0.50))).put("p99Ms", ms(p99))
                                .put("p99VsUnfiltered", Math.round(p99 / baseP99 * 100) / 100.0);
                        line.append(String.format(" %s %.2f ms%s", kind, ms(p99),
                                kind.equals("unfiltered") ? "" : String.format(" (%.2f×)", p99 / baseP99)));
                    }
                    line.append(';');
                }
                System.out.println(JSON.writeValueAsString(out));
                System.out.println(line.append(String.format(" %,d queries per kind, interleaved", queries)));
            }
        } finally {
            try (var paths = Files.walk(state)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The API's settings: one variant on the campaign, the three filters by name, no default filter. */
    private static Map<String, String> apiEnvironment(String campaign, Map<String, String> filters, StoreSettings tables) {
        Contract.Variables names = Contract.get().environment().apiLambda();
        ObjectNode served = JSON.createObjectNode();
        filters.forEach((name, arn) -> served.putObject(name).put("arn", arn).put("expression", EXPRESSIONS.get(name)));
        return Map.of(names.name("variants"), "[{\"name\":\"a\",\"campaign_arn\":\"" + campaign + "\",\"weight\":100}]",
                names.name("filters"), served.toString(), names.name("items_table"), tables.itemsTable,
                names.name("interactions_table"), tables.interactionsTable);
    }

    /**
     * Per step, a user not asked before, and one request of each kind for that user at the engine and then through the
     * API; the first 10% of steps warm up and are discarded.
     */
    private static Map<String, Map<String, long[]>> measure(EngineApi api, URI apiUri, String campaign, Map<String, String> filters,
                                                            SyntheticWorkload workload, Map<String, CatalogItem> catalog, int users,
                                                            int queries) throws Exception {
        Map<String, Map<String, long[]>> nanos = new LinkedHashMap<>();
        for (String tier : List.of("engine", "api")) {
            Map<String, long[]> kinds = new LinkedHashMap<>();
            KINDS.forEach(k -> kinds.put(k, new long[queries]));
            nanos.put(tier, kinds);
        }
        SplittableRandom random = new SplittableRandom(5);
        List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, users).boxed().toList());
        java.util.Collections.shuffle(order, new java.util.Random(5));
        int warmup = queries / 10;
        for (int q = 0; q < queries + warmup; q++) {
            String user = SyntheticWorkload.userId(order.get(q));
            String category = workload.categoryOfCluster(random.nextInt(CLUSTERS));
            for (String kind : rotated(q)) {
                long s = System.nanoTime();
                JsonNode r = api.runtime("/recommendations", o -> {
                    o.put("campaignArn", campaign).put("userId", user).put("numResults", 25);
                    if (!kind.equals("unfiltered")) o.put("filterArn", filters.get(kind));
                    if (kind.equals("category")) o.putObject("filterValues").put("CATEGORY", "\"" + category + "\"");
                });
                long d = System.nanoTime() - s;
                check(kind, category, user, r.path("itemList"), "itemId", catalog);
                if (q >= warmup) nanos.get("engine").get(kind)[q - warmup] = d;
            }
            for (String kind : rotated(q)) {
                ObjectNode body = JSON.createObjectNode().put("user_id", user).put("num_results", 25);
                if (!kind.equals("unfiltered")) body.put("filter", kind);
                if (kind.equals("category")) body.putObject("filter_values").putArray("CATEGORY").add(category);
                HttpRequest request = HttpRequest.newBuilder(apiUri.resolve("/recommendations")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
                long s = System.nanoTime();
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                long d = System.nanoTime() - s;
                if (response.statusCode() != 200) throw new IllegalStateException("API " + kind + " -> " + response.statusCode() + " " + response.body());
                JsonNode r = JSON.readTree(response.body());
                // A fallback or a cache hit would measure something else than the filter's cost.
                if (!r.path("source").asText().equals("personalize") || r.path("cached").asBoolean()) {
                    throw new IllegalStateException("API " + kind + " for " + user + " was not a model answer on a cache miss: " + response.body());
                }
                check(kind, category, user, r.path("items"), "item_id", catalog);
                if (q >= warmup) nanos.get("api").get(kind)[q - warmup] = d;
            }
        }
        return nanos;
    }

    /** The kinds in a step's order: each goes first in a quarter of the steps, so none always pays for a cold start of the step. */
    private static List<String> rotated(int step) {
        List<String> kinds = new java.util.ArrayList<>(KINDS);
        java.util.Collections.rotate(kinds, step % KINDS.size());
        return kinds;
    }

    private static void check(String kind, String category, String user, JsonNode items, String idField, Map<String, CatalogItem> catalog) {
        if (items.size() != 25) throw new IllegalStateException(kind + " for " + user + ": " + items.size() + " items, not 25");
        for (JsonNode i : items) {
            CatalogItem item = catalog.get(i.path(idField).asText());
            boolean wrong = kind.equals("category") ? !category.equals(item.category())
                    : kind.equals("default") && Boolean.FALSE.equals(item.available());
            if (wrong) throw new IllegalStateException(kind + " filter let " + item.itemId() + " through for " + user);
        }
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
