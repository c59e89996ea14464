package dev.recsys.api.catalog;

import dev.recsys.api.core.ItemCatalog;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.common.keys.ItemsDataset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The consumer's {@code items} table ({@link ItemKeys}) read with BatchGetItem (up to 100 keys, unprocessed keys
 * asked again a bounded number of times). Each live row becomes the item's Items dataset values exactly as the
 * pipeline imports them ({@link ItemsDataset#row}), so fallback filters and metadata see what Personalize sees;
 * tombstones are absent. A failure, or keys left unprocessed, throws: a filter must never guess.
 */
public final class DynamoItemCatalog implements ItemCatalog {

    static final int MAX_KEYS = 100;
    private static final int ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoItemCatalog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Map<String, Entry> items(Collection<String> ids) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        if (distinct.size() > MAX_KEYS) throw new IllegalArgumentException("at most " + MAX_KEYS + " ids per read, not " + distinct.size());
        Map<String, Entry> out = new HashMap<>();
        if (distinct.isEmpty()) return out;
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                .keys(distinct.stream().map(id -> Map.of(ItemKeys.PARTITION_KEY, AttributeValue.fromS(id))).toList()).build());
        for (int attempt = 0; attempt < ATTEMPTS && !request.isEmpty(); attempt++) {
            Map<String, KeysAndAttributes> ask = request;
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(ask));
            for (Map<String, AttributeValue> row : r.responses().getOrDefault(table, List.of())) {
                Entry e = entry(row);
                if (e != null) out.put(row.get(ItemKeys.PARTITION_KEY).s(), e);
            }
            request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
        }
        if (!request.isEmpty()) throw new IllegalStateException("items table: keys still unprocessed after " + ATTEMPTS + " attempts");
        return out;
    }

    /** The row's Items values; null for a tombstone. */
    static Entry entry(Map<String, AttributeValue> row) {
        if (Boolean.TRUE.equals(bool(row, ItemKeys.DELETED))) return null;
        List<String> genres = row.containsKey(ItemKeys.GENRES) ? row.get(ItemKeys.GENRES).l().stream().map(AttributeValue::s).toList() : List.of();
        Map<String, String> display = new HashMap<>();
        if (row.containsKey(ItemKeys.DISPLAY)) row.get(ItemKeys.DISPLAY).m().forEach((k, v) -> display.put(k, v.s()));
        CatalogItem item = new CatalogItem(row.get(ItemKeys.PARTITION_KEY).s(), CatalogItem.Operation.UPSERT,
                number(row, ItemKeys.UPDATED_AT).longValue(), string(row, ItemKeys.CATEGORY), string(row, ItemKeys.BRAND), genres,
                row.containsKey(ItemKeys.PRICE) ? number(row, ItemKeys.PRICE).doubleValue() : null,
                number(row, ItemKeys.CREATION_TIMESTAMP).longValue(), bool(row, ItemKeys.AVAILABLE), display);
        List<String> values = ItemsDataset.row(item);
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 1; i < ItemsDataset.COLUMNS.size(); i++) {
            if (!values.get(i).isEmpty()) metadata.put(ItemsDataset.COLUMNS.get(i), values.get(i));
        }
        return new Entry(DatasetRows.filterItem(ItemsDataset.COLUMNS, values, ItemsDataset::isCategorical), metadata);
    }

    private static String string(Map<String, AttributeValue> row, String name) {
        AttributeValue v = row.get(name);
        return v == null ? null : v.s();
    }

    private static java.math.BigDecimal number(Map<String, AttributeValue> row, String name) {
        AttributeValue v = row.get(name);
        if (v == null || v.n() == null) throw new IllegalStateException("items table: " + name + " missing on a live item");
        return new java.math.BigDecimal(v.n());
    }

    private static Boolean bool(Map<String, AttributeValue> row, String name) {
        AttributeValue v = row.get(name);
        return v == null ? null : v.bool();
    }
}
