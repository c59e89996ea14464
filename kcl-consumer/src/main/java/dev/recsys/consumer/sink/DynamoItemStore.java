package dev.recsys.consumer.sink;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The {@code items} table ({@link ItemKeys}), written by revision like every catalog table ({@link RevisionedRows}). */
public final class DynamoItemStore implements ItemStore {

    private static final RevisionedRows.Columns COLUMNS = new RevisionedRows.Columns(ItemKeys.PARTITION_KEY, ItemKeys.REVISION,
            ItemKeys.UPDATED_AT, ItemKeys.DELETED);

    private final RevisionedRows<Cataloged> rows;

    public DynamoItemStore(DynamoDbAsyncClient dynamo, String table, Retrier retrier) {
        this.rows = new RevisionedRows<>(dynamo, table, COLUMNS, (c, revision) -> row(c.item(), revision), retrier);
    }

    @Override
    public List<Cataloged> storeItems(String shardId, List<Cataloged> items) {
        return rows.store(items);
    }

    /** The item's row at {@code revision} (public for the catalog write benchmark's unconditional yardstick). */
    public static Map<String, AttributeValue> row(CatalogItem item, String revision) {
        return COLUMNS.row(item.itemId(), revision, item.updatedAt(), item.isDelete(), row -> {
            if (item.category() != null) row.put(ItemKeys.CATEGORY, AttributeValue.fromS(item.category()));
            if (item.brand() != null) row.put(ItemKeys.BRAND, AttributeValue.fromS(item.brand()));
            if (!item.genres().isEmpty()) row.put(ItemKeys.GENRES, AttributeValue.fromL(item.genres().stream().map(AttributeValue::fromS).toList()));
            // Plain decimal: DynamoDB numbers are decimal strings, and Double.toString writes 1.0E9.
            if (item.price() != null) row.put(ItemKeys.PRICE, AttributeValue.fromN(BigDecimal.valueOf(item.price()).toPlainString()));
            row.put(ItemKeys.CREATION_TIMESTAMP, AttributeValue.fromN(Long.toString(item.creationTimestamp())));
            row.put(ItemKeys.AVAILABLE, AttributeValue.fromBool(item.available()));
            if (!item.display().isEmpty()) {
                Map<String, AttributeValue> display = new HashMap<>();
                item.display().forEach((k, v) -> display.put(k, AttributeValue.fromS(v)));
                row.put(ItemKeys.DISPLAY, AttributeValue.fromM(display));
            }
        });
    }
}
