package dev.recsys.consumer.sink;

import dev.recsys.common.event.Exposure;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.consumer.ingest.IngestedRecord.Exposed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The {@code exposures} table ({@link ExperimentKeys}); rows expire {@code ttlDays} after the exposure. */
public final class DynamoExposureStore implements ExposureStore {

    private final IdempotentTable table;
    private final long ttlSeconds;

    public DynamoExposureStore(DynamoDbAsyncClient dynamo, String table, int ttlDays, Retrier retrier, ExecutorService pool) {
        this.table = new IdempotentTable(dynamo, table, ExperimentKeys.USER_ID, ExperimentKeys.RECOMMENDATION_ID, retrier, pool);
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
        List<Exposed> result = new ArrayList<>(exposures);
        for (int r = 0; r < stored.size(); r++) {
            int i = stored.get(r);
            result.set(i, exposures.get(i).withFirstSeen(firstSeen[r]));
        }
        return result;
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
