package dev.recsys.api.history;

import dev.recsys.api.core.ItemHistory;
import dev.recsys.common.keys.InteractionKeys;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item is known when the interactions table's {@code ItemIndex} has at least one row for it: one
 * Query with Limit 1 on a keys-only index. Any failure answers "known" (never degrade on doubt).
 */
public final class DynamoItemHistory implements ItemHistory {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoItemHistory(DynamoDbClient dynamo, String interactionsTable) {
        this.dynamo = dynamo;
        this.table = interactionsTable;
    }

    @Override
    public boolean isKnown(String itemId) {
        try {
            return dynamo.query(b -> b.tableName(table).indexName(InteractionKeys.ITEM_INDEX).limit(1)
                    .keyConditionExpression("#i = :i").expressionAttributeNames(Map.of("#i", InteractionKeys.ITEM_INDEX_PARTITION_KEY))
                    .expressionAttributeValues(Map.of(":i", AttributeValue.fromS(itemId)))).count() > 0;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
