package dev.recsys.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.http.ProxyResponse;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The cache against a real redis-server: hits, TTL, version keys, consumer invalidation, stampedes, outages. */
@WithLocalStack(services = Service.REDIS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisCacheIT {

    private static RedisClient rawClient;
    private static StatefulRedisConnection<String, String> raw;
    private final LocalStack stack;

    RedisCacheIT(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    static void connect(LocalStack stack) {
        rawClient = RedisClient.create(stack.endpoints().redisUri().toString());
        raw = rawClient.connect();
    }

    @AfterAll
    static void disconnect() {
        raw.close();
        rawClient.shutdown();
    }

    private TestApi api(Map<String, String> extra) {
        return api(extra, () -> null);
    }

    private TestApi api(Map<String, String> extra, dev.recsys.api.published.PublishedDocument.Fetcher fetcher) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("RECSYS_REDIS_URL", stack.endpoints().redisUri().toString());
        return new TestApi(env, fetcher, UserHistory.ASSUME_KNOWN);
    }

    private static JsonNode get(TestApi api, String userId) {
        ProxyResponse r = api.invoke(Events.get("/users/" + userId + "/recommendations").query("limit", "5"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestApi.body(r);
    }

    @Test
    @Order(1)
    void missThenHitServesTheSameAnswerFromRedis() {
        try (TestApi api = api(Map.of())) {
            JsonNode first = get(api, "hit-1");
            JsonNode second = get(api, "hit-1");
            assertThat(first.get("cached").asBoolean()).isFalse();
            assertThat(second.get("cached").asBoolean()).isTrue();
            assertThat(second.get("model_recommendation_id")).isEqualTo(first.get("model_recommendation_id"));
            assertThat(second.get("recommendation_id")).as("each answer shown is its own exposure")
                    .isNotEqualTo(first.get("recommendation_id"));
            assertThat(second.get("items")).isEqualTo(first.get("items"));
            assertThat(api.model.calls()).isEqualTo(1);
            assertThat(api.metrics.last("Route").metric("CacheHit")).isEqualTo(1);

            // the user's answers live in one hash, one field per variant/campaign/version/limit/filter/metadata/promotion
            Map<String, String> hash = raw.sync().hgetall(RecommendationCacheKeys.userKey("hit-1"));
            assertThat(hash).hasSize(1);
            assertThat(hash.keySet().iterator().next()).matches("rec\\|[ab]\\|recs-[ab]\\|static\\|5\\|\\|\\|");
            assertThat(raw.sync().pttl(RecommendationCacheKeys.userKey("hit-1"))).isPositive();

            get(api, "hit-1");
            api.invoke(Events.get("/users/hit-1/recommendations").query("limit", "6"));
            assertThat(api.model.calls()).as("another limit is another field").isEqualTo(2);
        }
    }

    @Test
    @Order(2)
    void entriesExpireAfterTheTtl() throws Exception {
        try (TestApi api = api(Map.of("RECSYS_CACHE_TTL_SECONDS", "1"))) {
            get(api, "ttl-1");
            assertThat(get(api, "ttl-1").get("cached").asBoolean()).isTrue();
            Thread.sleep(1_100);
            assertThat(get(api, "ttl-1").get("cached").asBoolean()).isFalse();
            assertThat(api.model.calls()).isEqualTo(2);
        }
    }

    @Test
    @Order(3)
    void aNewModelVersionNeverServesOlderEntries() {
        AtomicReference<byte[]> published = new AtomicReference<>(doc("sv-1"));
        try (TestApi api = api(Map.of("RECSYS_FALLBACK_REFRESH_SECONDS", "0"), published::get)) {
            assertThat(get(api, "ver-1").get("model_version").asText()).isEqualTo("sv-1");
            assertThat(get(api, "ver-1").get("cached").asBoolean()).isTrue();

            published.set(doc("sv-2"));
            await().atMost(Duration.ofSeconds(5)).until(() -> get(api, "ver-1").get("model_version").asText().equals("sv-2"));
            JsonNode after = get(api, "ver-1");
            assertThat(after.get("cached").asBoolean()).isTrue();
            assertThat(api.model.calls()).as("one call per model version").isEqualTo(2);
        }
    }

    @Test
    @Order(4)
    void theConsumersSingleDelInvalidatesAllOfOneUsersAnswersOnly() {
        try (TestApi api = api(Map.of())) {
            get(api, "inv-1");
            api.invoke(Events.post("/recommendations", "{\"user_id\":\"inv-1\",\"num_results\":3}"));
            get(api, "inv-2");
            assertThat(raw.sync().hlen(RecommendationCacheKeys.userKey("inv-1"))).isEqualTo(2);

            // exactly what the kcl-consumer does when it ingests an event of inv-1
            invalidate("inv-1");
            assertThat(raw.sync().exists(RecommendationCacheKeys.userKey("inv-1"))).isZero();

            assertThat(get(api, "inv-1").get("cached").asBoolean()).isFalse();
            assertThat(get(api, "inv-2").get("cached").asBoolean()).isTrue();
            assertThat(api.model.calls()).isEqualTo(4);
        }
    }

    @Test
    @Order(4)
    void eachFilterAndItsValuesIsAFieldOfTheUsersHashAndTheConsumersDelClearsThemAll() {
        String filters = "{\"unseen\":{\"arn\":\"" + TestApi.FILTER + "\",\"expression\":\"" + TestApi.UNSEEN_EXPRESSION + "\"},"
                + "\"in-genre\":{\"arn\":\"arn:aws:personalize:us-east-1:123456789012:filter/in-genre\","
                + "\"expression\":\"INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)\"}}";
        try (TestApi api = api(Map.of("RECSYS_FILTERS", filters, "RECSYS_ITEMS_TABLE", "recsys-items",
                "RECSYS_DEFAULT_USER_FILTER", "unseen", "RECSYS_TRENDING_CAMPAIGN_ARN",
                "arn:aws:personalize:us-east-1:123456789012:campaign/trending"))) {
            get(api, "flt-1");
            for (String values : List.of("{\"GENRES\":[\"comedy\",\"drama\"]}", "{\"GENRES\":[\"drama\",\"comedy\"]}", "{\"GENRES\":\"jazz\"}")) {
                api.invoke(Events.get("/users/flt-1/recommendations").query("limit", "5").query("filter", "in-genre").query("filter_values", values));
            }
            api.invoke(Events.get("/trending").query("user_id", "flt-1").query("filter", "unseen"));
            api.invoke(Events.get("/items/i-1/similar").query("user_id", "flt-1").query("filter", "in-genre")
                    .query("filter_values", "{\"GENRES\":\"jazz\"}"));
            Map<String, String> hash = raw.sync().hgetall(RecommendationCacheKeys.userKey("flt-1"));
            assertThat(hash.keySet()).as("default, two value sets (one asked twice in another order), trending, similar").hasSize(5)
                    .anyMatch(f -> f.contains("|unseen()|")).anyMatch(f -> f.contains("|in-genre(GENRES:comedy,drama)|"))
                    .anyMatch(f -> f.startsWith("trend|")).anyMatch(f -> f.startsWith("sim|"));
            assertThat(api.model.calls()).isEqualTo(5);

            invalidate("flt-1");
            assertThat(raw.sync().exists(RecommendationCacheKeys.userKey("flt-1"))).isZero();
            ProxyResponse again = api.invoke(Events.get("/users/flt-1/recommendations").query("limit", "5").query("filter", "in-genre")
                    .query("filter_values", "{\"GENRES\":\"jazz\"}"));
            assertThat(TestApi.body(again).get("cached").asBoolean()).isFalse();
        }
    }

    @Test
    @Order(4)
    void anAnswerComputedAcrossAnInvalidationIsServedButNotCached() throws Exception {
        try (TestApi api = api(Map.of("RECSYS_PERSONALIZE_TIMEOUT_MS", "5000"))) {
            api.model.delay(400);
            CompletableFuture<JsonNode> slow = CompletableFuture.supplyAsync(() -> get(api, "race-1"));
            // The consumer invalidates while the model call (which predates the event) is in flight.
            await().atMost(Duration.ofSeconds(5)).until(() -> api.model.calls() == 1);
            invalidate("race-1");
            JsonNode served = slow.get();
            assertThat(served.get("source").asText()).as("a model answer, which would normally be cached").isEqualTo("personalize");
            assertThat(served.get("cached").asBoolean()).isFalse();
            assertThat(raw.sync().hlen(RecommendationCacheKeys.userKey("race-1")))
                    .as("the pre-event answer must not outlive the invalidation").isZero();
            api.model.delay(0);
            assertThat(get(api, "race-1").get("cached").asBoolean()).isFalse();
            assertThat(get(api, "race-1").get("cached").asBoolean()).as("a fill after the invalidation is kept").isTrue();
            assertThat(api.model.calls()).isEqualTo(2);
        }
    }

    /** The kcl-consumer's invalidation, verbatim. */
    private static void invalidate(String user) {
        String key = RecommendationCacheKeys.userKey(user);
        raw.sync().eval(RecommendationCacheKeys.INVALIDATE, io.lettuce.core.ScriptOutputType.INTEGER,
                new String[] {key, RecommendationCacheKeys.generationKey(key)}, "3600000");
    }

    @Test
    @Order(5)
    void concurrentMissesInOneInstanceMakeOneModelCall() throws Exception {
        // A generous Redis timeout: this checks single-flight, not how fast a loaded CI machine is (a fill
        // write that times out rightly lets a later request compute again; timeouts have their own test).
        try (TestApi api = api(Map.of("RECSYS_REDIS_TIMEOUT_MS", "2000"))) {
            api.model.delay(150);
            List<JsonNode> answers = concurrently(32, i -> get(api, "stampede-1"));
            assertThat(api.model.calls()).as(String.join("\n", api.lines)).isEqualTo(1);
            assertThat(answers).extracting(a -> a.get("model_recommendation_id").asText()).containsOnly("rec-stampede-1-1");
        }
    }

    @Test
    @Order(6)
    void concurrentMissesAcrossInstancesMakeOneModelCall() throws Exception {
        List<TestApi> instances = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                // generous wait: this checks the protocol, not how fast a loaded CI machine is
                TestApi api = api(Map.of("RECSYS_CACHE_FILL_WAIT_MS", "3000"));
                api.model.delay(150);
                instances.add(api);
            }
            List<JsonNode> answers = concurrently(16, i -> get(instances.get(i % 4), "stampede-2"));
            assertThat(instances.stream().mapToInt(a -> a.model.calls()).sum()).isEqualTo(1);
            assertThat(answers).extracting(a -> a.get("items")).containsOnly(answers.get(0).get("items"));
        } finally {
            instances.forEach(TestApi::close);
        }
    }

    @Test
    @Order(7)
    void slowRedisIsSkippedWithinTheCommandTimeout() throws Exception {
        try (TestApi api = api(Map.of("RECSYS_REDIS_TIMEOUT_MS", "30"))) {
            get(api, "slow-1");
            raw.sync().clientPause(1_000);
            long start = System.nanoTime();
            JsonNode during = get(api, "slow-2");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(during.get("source").asText()).isEqualTo("personalize");
            assertThat(during.get("cached").asBoolean()).isFalse();
            assertThat(ms).isLessThan(700);
            assertThat(api.metrics.by("Route")).anyMatch(d -> Double.valueOf(1).equals(d.metrics().get("CacheError")));
        }
    }

    @Test
    @Order(8)
    void redisDownServesUncachedThenRecovers() {
        try (TestApi api = api(Map.of())) {
            get(api, "down-1");
            stack.stopRedis();
            try {
                for (int i = 0; i < 5; i++) {
                    JsonNode during = get(api, "down-1");
                    assertThat(during.get("cached").asBoolean()).isFalse();
                    assertThat(during.get("source").asText()).isEqualTo("personalize");
                }
                assertThat(TestApi.body(api.invoke(Events.get("/health"))).get("cache").asText()).isEqualTo("down");
            } finally {
                stack.startRedis();
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(api, "down-1").get("cached").asBoolean());
        }
    }

    private static byte[] doc(String version) {
        return ("{\"generated_at\":\"2026-11-25T06:00:00Z\",\"model_version\":\"" + version
                + "\",\"items\":[{\"item_id\":\"p1\",\"score\":1.0}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static <T> List<T> concurrently(int n, java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CyclicBarrier start = new CyclicBarrier(n);
            List<CompletableFuture<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return task.apply(k);
                }, pool));
            }
            List<T> out = new ArrayList<>();
            for (CompletableFuture<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
