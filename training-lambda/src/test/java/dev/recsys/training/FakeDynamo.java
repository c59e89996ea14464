package dev.recsys.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.keys.ExperimentKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The {@code experiments} table in memory, queried the one way the decision step does (partition key and a sort-key
 * prefix, named {@code :e} and {@code :route}), one item per page so that paging is exercised.
 */
final class FakeDynamo implements DynamoDbClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** table → experiment → arm → item */
    final Map<String, Map<String, TreeMap<String, Map<String, AttributeValue>>>> tables = new HashMap<>();
    final List<QueryRequest> queries = new ArrayList<>();
    AwsServiceException nextFailure;

    void put(String table, ArmResult r) {
        try {
            putRaw(table, r.experiment(), ExperimentKeys.resultArm(r.route(), r.variant()),
                    Map.of(ExperimentKeys.RESULT, AttributeValue.fromS(JSON.writeValueAsString(r))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void putRaw(String table, String experiment, String arm, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.put(ExperimentKeys.EXPERIMENT, AttributeValue.fromS(experiment));
        item.put(ExperimentKeys.ARM, AttributeValue.fromS(arm));
        tables.computeIfAbsent(table, t -> new HashMap<>()).computeIfAbsent(experiment, e -> new TreeMap<>()).put(arm, item);
    }

    @Override
    public QueryResponse query(QueryRequest r) {
        queries.add(r);
        if (nextFailure != null) {
            AwsServiceException f = nextFailure;
            nextFailure = null;
            throw f;
        }
        String prefix = r.expressionAttributeValues().get(":route").s();
        TreeMap<String, Map<String, AttributeValue>> rows = tables.getOrDefault(r.tableName(), Map.of())
                .getOrDefault(r.expressionAttributeValues().get(":e").s(), new TreeMap<>());
        String after = r.hasExclusiveStartKey() ? r.exclusiveStartKey().get(ExperimentKeys.ARM).s() : null;
        for (Map.Entry<String, Map<String, AttributeValue>> e : (after == null ? rows : rows.tailMap(after, false)).entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                // Like DynamoDB under a limit: a page that returned an item says where to go on, even if nothing is left.
                return QueryResponse.builder().items(List.of(e.getValue())).lastEvaluatedKey(Map.of(
                        ExperimentKeys.EXPERIMENT, e.getValue().get(ExperimentKeys.EXPERIMENT), ExperimentKeys.ARM, e.getValue().get(ExperimentKeys.ARM)))
                        .build();
            }
        }
        return QueryResponse.builder().items(List.of()).build();
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {}
}
