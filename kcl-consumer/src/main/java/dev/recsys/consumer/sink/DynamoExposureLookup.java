package dev.recsys.consumer.sink;

import dev.recsys.common.experiment.ResultsCalculator.Arm;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.consumer.attribution.ExposureLookup;
import dev.recsys.consumer.attribution.ExposureRef;
import dev.recsys.consumer.attribution.Impressions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads the {@code exposures} table for attribution: BatchGetItem by (user, recommendation id), and a
 * strongly consistent Query of the local index {@code TimeIndex} per user for the window rule.
 */
public final class DynamoExposureLookup implements ExposureLookup, Impressions {

    private static final String PROJECTION = "#u, #r, #t, #e, route, variant, #i, src_pos";
    private static final Map<String, String> NAMES = Map.of("#u", ExperimentKeys.USER_ID, "#r", ExperimentKeys.RECOMMENDATION_ID,
            "#t", ExperimentKeys.EXPOSED_AT, "#e", ExperimentKeys.EXPERIMENT, "#i", "items");

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final Retrier retrier;

    public DynamoExposureLookup(DynamoDbAsyncClient dynamo, String table, Retrier retrier) {
        this.dynamo = dynamo;
        this.table = table;
        this.retrier = retrier;
    }

    @Override
    public Map<ById, ExposureRef> byIds(Collection<ById> ids) {
        Map<ById, ExposureRef> found = new ConcurrentHashMap<>();
        List<ById> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += ConsistentBatchGet.MAX_KEYS) {
            List<Map<String, AttributeValue>> keys = all.subList(i, Math.min(all.size(), i + ConsistentBatchGet.MAX_KEYS)).stream()
                    .map(k -> Map.of(ExperimentKeys.USER_ID, AttributeValue.fromS(k.userId()),
                            ExperimentKeys.RECOMMENDATION_ID, AttributeValue.fromS(k.recommendationId()))).toList();
            ConsistentBatchGet.read(dynamo, table, keys, retrier,
                    b -> b.projectionExpression(PROJECTION).expressionAttributeNames(NAMES),
                    item -> {
                        ExposureRef ref = ref(item);
                        found.put(new ById(ref.userId(), ref.recommendationId()), ref);
                    });
        }
        return found;
    }

    @Override
    public Map<String, Long> latest(Collection<String> users) {
        Map<String, Long> found = new ConcurrentHashMap<>();
        List<String> all = new ArrayList<>(users);
        for (int i = 0; i < all.size(); i += ConsistentBatchGet.MAX_KEYS) {
            List<Map<String, AttributeValue>> keys = all.subList(i, Math.min(all.size(), i + ConsistentBatchGet.MAX_KEYS)).stream()
                    .map(u -> Map.of(ExperimentKeys.USER_ID, AttributeValue.fromS(u),
                            ExperimentKeys.RECOMMENDATION_ID, AttributeValue.fromS(ExperimentKeys.LATEST_EXPOSURE))).toList();
            ConsistentBatchGet.read(dynamo, table, keys, retrier,
                    b -> b.projectionExpression("#u, #l").expressionAttributeNames(Map.of("#u", ExperimentKeys.USER_ID,
                            "#l", ExperimentKeys.LATEST)),
                    item -> {
                        if (item.containsKey(ExperimentKeys.LATEST)) {
                            found.put(item.get(ExperimentKeys.USER_ID).s(), Long.parseLong(item.get(ExperimentKeys.LATEST).n()));
                        }
                    });
        }
        return found;
    }

    /** For the tracker: best effort, an empty answer on failure (the event is then sent without impressions). */
    @Override
    public Map<ById, Impressions.Shown> of(Collection<ById> ids) {
        Map<ById, Impressions.Shown> found = new ConcurrentHashMap<>();
        try {
            List<ById> all = new ArrayList<>(ids);
            for (int i = 0; i < all.size(); i += ConsistentBatchGet.MAX_KEYS) {
                List<Map<String, AttributeValue>> keys = all.subList(i, Math.min(all.size(), i + ConsistentBatchGet.MAX_KEYS))
                        .stream().map(k -> Map.of(ExperimentKeys.USER_ID, AttributeValue.fromS(k.userId()),
                                ExperimentKeys.RECOMMENDATION_ID, AttributeValue.fromS(k.recommendationId()))).toList();
                ConsistentBatchGet.read(dynamo, table, keys, retrier,
                        b -> b.projectionExpression("#u, #r, #i, model_recommendation_id")
                                .expressionAttributeNames(Map.of("#u", ExperimentKeys.USER_ID, "#r", ExperimentKeys.RECOMMENDATION_ID,
                                        "#i", "items")),
                        item -> found.put(new ById(item.get(ExperimentKeys.USER_ID).s(), item.get(ExperimentKeys.RECOMMENDATION_ID).s()),
                                new Impressions.Shown(item.containsKey("model_recommendation_id") ? item.get("model_recommendation_id").s() : null,
                                        item.get("items").l().stream().map(AttributeValue::s).toList())));
            }
        } catch (RuntimeException e) {
            // best effort: the interaction itself is forwarded regardless
        }
        return found;
    }

    @Override
    public Map<String, List<ExposureRef>> recent(Map<String, Interval> intervalByUser) {
        Map<String, List<ExposureRef>> out = new ConcurrentHashMap<>();
        retrier.run("Query " + table + " " + ExperimentKeys.EXPOSURE_TIME_INDEX, () -> {
            List<CompletableFuture<Void>> queries = new ArrayList<>();
            for (Map.Entry<String, Interval> e : intervalByUser.entrySet()) {
                if (out.containsKey(e.getKey())) continue; // answered in an earlier attempt
                queries.add(queryAll(e.getKey(), e.getValue(), new ArrayList<>(), null)
                        .thenAccept(refs -> out.put(e.getKey(), refs)));
            }
            CompletableFuture.allOf(queries.toArray(CompletableFuture[]::new)).join();
        });
        return out;
    }

    private CompletableFuture<List<ExposureRef>> queryAll(String user, Interval interval, List<ExposureRef> acc,
                                                          Map<String, AttributeValue> start) {
        return dynamo.query(b -> b.tableName(table).indexName(ExperimentKeys.EXPOSURE_TIME_INDEX).consistentRead(true)
                        .keyConditionExpression("#u = :u AND #t BETWEEN :from AND :to")
                        .projectionExpression(PROJECTION).expressionAttributeNames(NAMES)
                        .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(user),
                                ":from", AttributeValue.fromN(Long.toString(interval.from())),
                                ":to", AttributeValue.fromN(Long.toString(interval.to()))))
                        .exclusiveStartKey(start))
                .thenCompose((QueryResponse r) -> {
                    r.items().forEach(i -> acc.add(ref(i)));
                    return r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                            ? queryAll(user, interval, acc, r.lastEvaluatedKey()) : CompletableFuture.completedFuture(acc);
                });
    }

    private static ExposureRef ref(Map<String, AttributeValue> item) {
        return new ExposureRef(item.get(ExperimentKeys.USER_ID).s(), item.get(ExperimentKeys.RECOMMENDATION_ID).s(),
                Long.parseLong(item.get(ExperimentKeys.EXPOSED_AT).n()),
                new Arm(item.get(ExperimentKeys.EXPERIMENT).s(), item.get("route").s(), item.get("variant").s()),
                item.get("items").l().stream().map(AttributeValue::s).toList(), item.get(IdempotentTable.SOURCE_POSITION).s());
    }
}
