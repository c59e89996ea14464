package dev.recsys.api.history;

import dev.recsys.api.core.UserHistory;
import dev.recsys.common.keys.UserProfileKeys;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Cold start = no row in the consumer's {@code user_profiles} table (PK {@link UserProfileKeys#PARTITION_KEY}), which the
 * kcl-consumer writes on a user's first event; one GetItem. Any failure answers "has history": the
 * model then decides, and a broken profile table never makes everyone a cold start.
 */
public final class DynamoUserHistory implements UserHistory {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUserHistory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean hasHistory(String userId) {
        try {
            return dynamo.getItem(b -> b.tableName(table).key(Map.of(UserProfileKeys.PARTITION_KEY, AttributeValue.fromS(userId)))
                    .projectionExpression(UserProfileKeys.PARTITION_KEY)).hasItem();
        } catch (RuntimeException e) {
            return true;
        }
    }
}
