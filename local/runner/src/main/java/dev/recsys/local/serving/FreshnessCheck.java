package dev.recsys.local.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.local.ingest.ConsumerProcess.Deployment;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.personalize.engine.PersonalizeEngine;
import dev.recsys.producer.core.EventProducer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One purchase through the real path, checked at every step from outside: the event is sent to
 * Kinesis, then this waits for what the system claims — the row is in DynamoDB, the user's cache
 * generation moved and the hash is gone, and at that moment the tracker already has the event — and
 * finally asks the API again. Nothing here sleeps a fixed time: every wait ends on an observation,
 * or fails after {@code timeout}.
 */
final class FreshnessCheck implements AutoCloseable {

    /** What one purchase showed; every field was observed, none assumed. */
    record Result(String user, String item, JsonNode before, JsonNode after, long storedMillis, long invalidatedMillis,
                  boolean trackerHadEventWhenInvalidated, String failure) {
        boolean fresh() {
            return failure == null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI api;
    private final String[] callerHeaders;
    private final LocalStack stack;
    private final Deployment deployment;
    private final PersonalizeEngine engine;
    private final String trackingId;
    private final EventProducer producer;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newHttpClient();
    private final RedisClient redisClient;
    private final StatefulRedisConnection<String, String> redisConnection;
    private final RedisCommands<String, String> redis;

    FreshnessCheck(URI api, String[] callerHeaders, LocalStack stack, Deployment deployment, PersonalizeEngine engine,
                   String trackingId, EventProducer producer, Duration timeout) {
        this.api = api;
        this.callerHeaders = callerHeaders;
        this.stack = stack;
        this.deployment = deployment;
        this.engine = engine;
        this.trackingId = trackingId;
        this.producer = producer;
        this.timeout = timeout;
        this.redisClient = RedisClient.create(stack.endpoints().redisUri().toString());
        this.redisConnection = redisClient.connect();
        this.redis = redisConnection.sync();
    }

    JsonNode recommendations(String user) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/users/" + user + "/recommendations?limit=5"))
                .headers(callerHeaders).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode body = (ObjectNode) JSON.readTree(r.body());
        body.put("http_status", r.statusCode());
        body.put("http_request_id", r.headers().firstValue("X-Request-Id").orElse(""));
        return body;
    }

    /** The user buys the first item of {@code before}, an answer just served to them. */
    Result purchaseFirstOf(String user, JsonNode before) throws Exception {
        String item = before.path("items").path(0).path("item_id").asText(null);
        if (item == null) return new Result(user, null, before, null, -1, -1, false, "the answer has no item to buy");
        String hash = RecommendationCacheKeys.userKey(user);
        String generationBefore = redis.get(RecommendationCacheKeys.generationKey(hash));
        InteractionEvent purchase = InteractionEvent.of("fresh-" + user + "-" + System.nanoTime(), user, item, "purchase",
                System.currentTimeMillis());
        long t0 = System.nanoTime();
        producer.send(purchase).join();
        if (!await(() -> stored(purchase))) {
            return new Result(user, item, before, null, -1, -1, false, "not stored in DynamoDB within " + timeout);
        }
        long stored = (System.nanoTime() - t0) / 1_000_000;
        boolean invalidated = await(() -> {
            String g = redis.get(RecommendationCacheKeys.generationKey(hash));
            return g != null && !g.equals(generationBefore) && redis.exists(hash) == 0;
        });
        long invalidatedAt = (System.nanoTime() - t0) / 1_000_000;
        // Checked right when the invalidation is seen: the consumer must not invalidate before the tracker has it.
        boolean tracked = engine.trackedItems(trackingId, user).contains(item);
        if (!invalidated) {
            return new Result(user, item, before, null, stored, -1, tracked,
                    "the user's cache was not invalidated within " + timeout);
        }
        JsonNode after = recommendations(user);
        List<String> problems = new ArrayList<>();
        if (!tracked) problems.add("the tracker did not have the purchase when the cache was invalidated");
        if (after.path("http_status").asInt() != 200) problems.add("HTTP " + after.path("http_status").asInt());
        if (after.path("cached").asBoolean(true)) problems.add("the answer came from the cache");
        if (!"personalize".equals(after.path("source").asText())) problems.add("source " + after.path("source").asText());
        for (JsonNode i : after.path("items")) {
            if (item.equals(i.path("item_id").asText())) problems.add("the purchased item is still recommended");
        }
        return new Result(user, item, before, after, stored, invalidatedAt, tracked,
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    private boolean stored(InteractionEvent ev) {
        Map<String, AttributeValue> key = Map.of(InteractionKeys.PARTITION_KEY, AttributeValue.fromS(ev.userId()),
                InteractionKeys.SORT_KEY, AttributeValue.fromS(ev.eventId()));
        return stack.dynamoDb().getItem(b -> b.tableName(deployment.interactionsTable()).key(key).consistentRead(true)).hasItem();
    }

    private boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        redisConnection.close();
        redisClient.shutdown();
    }
}
