package dev.recsys.consumer.sink;

import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.keys.UserKeys;
import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The {@code users} table ({@link UserKeys}), written by revision like the items table ({@link RevisionedRows}). */
public final class DynamoUserStore implements UserStore {

    private static final RevisionedRows.Columns COLUMNS = new RevisionedRows.Columns(UserKeys.PARTITION_KEY, UserKeys.REVISION,
            UserKeys.UPDATED_AT, UserKeys.DELETED);

    private final RevisionedRows<UserCataloged> rows;

    public DynamoUserStore(DynamoDbAsyncClient dynamo, String table, Retrier retrier) {
        this.rows = new RevisionedRows<>(dynamo, table, COLUMNS, (u, revision) -> row(u.user(), revision), retrier);
    }

    @Override
    public List<UserCataloged> storeUsers(String shardId, List<UserCataloged> users) {
        return rows.store(users);
    }

    private static Map<String, AttributeValue> row(CatalogUser user, String revision) {
        return COLUMNS.row(user.userId(), revision, user.updatedAt(), user.isDelete(), row -> {
            if (user.segment() != null) row.put(UserKeys.SEGMENT, AttributeValue.fromS(user.segment()));
            if (user.membership() != null) row.put(UserKeys.MEMBERSHIP, AttributeValue.fromS(user.membership()));
            if (user.age() != null) row.put(UserKeys.AGE, AttributeValue.fromN(Integer.toString(user.age())));
        });
    }
}
