package dev.recsys.api.catalog;

import dev.recsys.api.core.UserAttributes;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.filter.FilterItem;
import dev.recsys.common.keys.UserKeys;
import dev.recsys.common.keys.UsersDataset;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The consumer's {@code users} table ({@link UserKeys}) read with one GetItem per request that needs it. A live row
 * becomes the user's Users dataset values exactly as the pipeline imports them ({@link UsersDataset#row}), so a
 * fallback answer's {@code IF CurrentUser} conditions see what Personalize sees; a tombstone is an unknown user.
 */
public final class DynamoUserAttributes implements UserAttributes {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUserAttributes(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public FilterItem of(String userId) {
        Map<String, AttributeValue> row = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(UserKeys.PARTITION_KEY, AttributeValue.fromS(userId)))).item();
        return row == null || row.isEmpty() ? FilterItem.EMPTY : filterItem(row);
    }

    static FilterItem filterItem(Map<String, AttributeValue> row) {
        AttributeValue deleted = row.get(UserKeys.DELETED);
        if (deleted != null && Boolean.TRUE.equals(deleted.bool())) return FilterItem.EMPTY;
        AttributeValue age = row.get(UserKeys.AGE);
        CatalogUser user = CatalogUser.upsert(row.get(UserKeys.PARTITION_KEY).s(), Long.parseLong(row.get(UserKeys.UPDATED_AT).n()),
                string(row, UserKeys.SEGMENT), string(row, UserKeys.MEMBERSHIP), age == null ? null : Integer.valueOf(age.n()));
        return DatasetRows.filterItem(UsersDataset.COLUMNS, UsersDataset.row(user), UsersDataset::isCategorical);
    }

    private static String string(Map<String, AttributeValue> row, String name) {
        AttributeValue v = row.get(name);
        return v == null ? null : v.s();
    }
}
