package dev.recsys.api.history;

import dev.recsys.api.core.UserInteractions;
import dev.recsys.common.event.EventFields;
import dev.recsys.common.keys.InteractionKeys;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A user's latest interactions from the interactions table's time index, newest first, up to {@value #MAX_ROWS}
 * rows: Personalize's filters consider the latest 100 per user and event type, so this sees at least as much for
 * up to ten event types. Failures throw (the fallback then shows nothing rather than something the filter excludes).
 */
public final class DynamoUserInteractions implements UserInteractions {

    static final int MAX_ROWS = 1000;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUserInteractions(DynamoDbClient dynamo, String interactionsTable) {
        this.dynamo = dynamo;
        this.table = interactionsTable;
    }

    @Override
    public Map<String, Set<String>> eventTypes(String userId) {
        Map<String, Set<String>> out = new HashMap<>();
        Map<String, AttributeValue> start = null;
        int rows = 0;
        do {
            Map<String, AttributeValue> from = start;
            int page = MAX_ROWS - rows;
            QueryResponse r = dynamo.query(b -> b.tableName(table).indexName(InteractionKeys.TIME_INDEX).scanIndexForward(false)
                    .keyConditionExpression("#u = :u").limit(page)
                    .projectionExpression("#i, #t")
                    .expressionAttributeNames(Map.of("#u", InteractionKeys.PARTITION_KEY, "#i", InteractionKeys.ITEM_INDEX_PARTITION_KEY,
                            "#t", EventFields.EVENT_TYPE))
                    .expressionAttributeValues(Map.of(":u", AttributeValue.fromS(userId)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> row : r.items()) {
                AttributeValue item = row.get(InteractionKeys.ITEM_INDEX_PARTITION_KEY);
                AttributeValue type = row.get(EventFields.EVENT_TYPE);
                if (item != null && type != null) out.computeIfAbsent(item.s(), k -> new HashSet<>()).add(type.s());
            }
            rows += r.count();
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && rows < MAX_ROWS);
        return out;
    }
}
