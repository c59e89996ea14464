package dev.recsys.consumer.sink;

import dev.recsys.common.event.Exposure;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The {@code exposures} table ({@link ExperimentKeys}); rows expire {@code ttlDays} after the exposure. */
public final class DynamoExposureStore implements ExposureStore {

    private final DynamoDbAsyncClient dynamo;
    private final String tableName;
    private final IdempotentTable table;
    private final Retrier retrier;
    private final long ttlSeconds;

    public DynamoExposureStore(DynamoDbAsyncClient dynamo, String table, int ttlDays, Retrier retrier, ExecutorService pool) {
        this.dynamo = dynamo;
        this.tableName = table;
        this.table = new IdempotentTable(dynamo, table, ExperimentKeys.USER_ID, ExperimentKeys.RECOMMENDATION_ID, retrier, pool);
        this.retrier = retrier;
        this.ttlSeconds = ttlDays * 86_400L;
    }

    @Override
    public List<Exposed> storeExposures(String shardId, List<Exposed> exposures) {
        List<IdempotentTable.Row> rows = new ArrayList<>();
        List<Integer> stored = new ArrayList<>();
        for (int i = 0; i < exposures.size(); i++) {
            Exposed e = exposures.get(i);
            if (e.exposure().userId() == null) continue;
            rows.add(new IdempotentTable.Row(e.exposure().userId(), e.exposure().recommendationId(), item(e.exposure()),
                    shardId + "/" + e.position().sortable()));
            stored.add(i);
        }
        boolean[] firstSeen = table.write(rows);
        advanceLatest(exposures);
        List<Exposed> result = new ArrayList<>(exposures);
        for (int r = 0; r < stored.size(); r++) {
            int i = stored.get(r);
            result.set(i, exposures.get(i).withFirstSeen(firstSeen[r]));
        }
        return result;
    }

    /**
     * Each user's summary row ({@link ExperimentKeys#LATEST_EXPOSURE}) moves forward only, so a replay or a
     * zombie worker never sets it back: attribution could otherwise skip a user it should look at.
     */
    private void advanceLatest(List<Exposed> exposures) {
        Map<String, Long> latest = new java.util.HashMap<>();
        for (Exposed e : exposures) {
            if (e.exposure().userId() != null) latest.merge(e.exposure().userId(), e.exposure().timestampMillis(), Math::max);
        }
        if (latest.isEmpty()) return;
        retrier.run("UpdateItem " + tableName + " latest", () -> {
            List<java.util.concurrent.CompletableFuture<?>> updates = new ArrayList<>();
            for (Map.Entry<String, Long> l : latest.entrySet()) {
                updates.add(dynamo.updateItem(b -> b.tableName(tableName)
                        .key(Map.of(ExperimentKeys.USER_ID, s(l.getKey()), ExperimentKeys.RECOMMENDATION_ID, s(ExperimentKeys.LATEST_EXPOSURE)))
                        .updateExpression("SET #l = :t, #ttl = :ttl")
                        .conditionExpression("attribute_not_exists(#l) OR #l < :t")
                        .expressionAttributeNames(Map.of("#l", ExperimentKeys.LATEST, "#ttl", ExperimentKeys.TTL))
                        .expressionAttributeValues(Map.of(":t", n(l.getValue()), ":ttl", n(l.getValue() / 1000 + ttlSeconds))))
                        .exceptionally(err -> {
                            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                            if (cause instanceof software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException) return null;
                            throw new java.util.concurrent.CompletionException(cause);
                        }));
            }
            java.util.concurrent.CompletableFuture.allOf(updates.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        });
    }

    private Map<String, AttributeValue> item(Exposure x) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ExperimentKeys.EXPOSED_AT, n(x.timestampMillis()));
        item.put(ExperimentKeys.EXPERIMENT, s(x.experiment()));
        item.put("route", s(x.route()));
        item.put("variant", s(x.variant()));
        item.put("source", s(x.source()));
        item.put("items", AttributeValue.fromL(x.items().stream().map(AttributeValue::fromS).toList()));
        item.put("cached", AttributeValue.fromBool(x.cached()));
        optional(item, "campaign_arn", x.campaignArn());
        optional(item, "model_version", x.modelVersion());
        optional(item, "model_recommendation_id", x.modelRecommendationId());
        optional(item, "fallback_reason", x.fallbackReason());
        optional(item, "item_id", x.itemId());
        item.put(ExperimentKeys.TTL, n(x.timestampMillis() / 1000 + ttlSeconds));
        return item;
    }

    private static void optional(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) item.put(name, s(value));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
