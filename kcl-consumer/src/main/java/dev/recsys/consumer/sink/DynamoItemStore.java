package dev.recsys.consumer.sink;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The {@code items} table ({@link ItemKeys}). Every record is one PutItem of the item's whole state, conditional on
 * the stored revision being smaller: a replayed or late record fails the condition and changes nothing, and a
 * delete is a tombstone with its revision, so an older upsert cannot bring the item back. No read before the write,
 * no transaction (dynalite has none): the condition alone decides, also between two workers during a lease takeover.
 */
public final class DynamoItemStore implements ItemStore {

    /** PutItem calls in flight at once (one per item record; DynamoDB has no conditional batch write). */
    private static final int MAX_IN_FLIGHT = 32;
    private static final String CONDITION = "attribute_not_exists(#id) OR #rev < :rev";

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final Retrier retrier;

    public DynamoItemStore(DynamoDbAsyncClient dynamo, String table, Retrier retrier) {
        this.dynamo = dynamo;
        this.table = table;
        this.retrier = retrier;
    }

    @Override
    public List<Cataloged> storeItems(String shardId, List<Cataloged> items) {
        if (items.isEmpty()) return items;
        String[] revisions = new String[items.size()];
        // Only an item's greatest revision in the batch can win: the others are superseded without a write.
        Map<String, Integer> latest = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            revisions[i] = items.get(i).item().revision();
            int index = i;
            latest.merge(items.get(i).item().itemId(), i, (a, b) -> revisions[a].compareTo(revisions[b]) >= 0 ? a : index);
        }
        Boolean[] applied = new Boolean[items.size()];
        retrier.run("PutItem " + table, () -> putUndecided(items, revisions, List.copyOf(latest.values()), applied));
        List<Cataloged> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) result.add(items.get(i).withApplied(Boolean.TRUE.equals(applied[i])));
        return result;
    }

    /** One round: writes each winner not yet decided; a round with failures throws, and the retry sends only those. */
    private void putUndecided(List<Cataloged> items, String[] revisions, List<Integer> winners, Boolean[] applied) {
        List<Integer> undecided = winners.stream().filter(i -> applied[i] == null).toList();
        RuntimeException failure = null;
        for (int from = 0; from < undecided.size(); from += MAX_IN_FLIGHT) {
            List<Integer> chunk = undecided.subList(from, Math.min(undecided.size(), from + MAX_IN_FLIGHT));
            List<CompletableFuture<Boolean>> puts = new ArrayList<>(chunk.size());
            for (int i : chunk) puts.add(put(items.get(i).item(), revisions[i]));
            for (int k = 0; k < chunk.size(); k++) {
                try {
                    applied[chunk.get(k)] = puts.get(k).join();
                } catch (CompletionException e) {
                    failure = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
        if (failure != null) throw failure;
    }

    /** @return true when the record is now the item's state, false when the table held it or a later one */
    private CompletableFuture<Boolean> put(CatalogItem item, String revision) {
        return dynamo.putItem(b -> b.tableName(table).item(row(item, revision))
                        .conditionExpression(CONDITION)
                        .expressionAttributeNames(Map.of("#id", ItemKeys.PARTITION_KEY, "#rev", ItemKeys.REVISION))
                        .expressionAttributeValues(Map.of(":rev", AttributeValue.fromS(revision))))
                .handle((ok, err) -> {
                    if (err == null) return true;
                    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                    if (cause instanceof ConditionalCheckFailedException) return false;
                    throw new CompletionException(cause);
                });
    }

    /** The item's row at {@code revision} (public for the catalog write benchmark's unconditional yardstick). */
    public static Map<String, AttributeValue> row(CatalogItem item, String revision) {
        Map<String, AttributeValue> row = new HashMap<>();
        row.put(ItemKeys.PARTITION_KEY, AttributeValue.fromS(item.itemId()));
        row.put(ItemKeys.REVISION, AttributeValue.fromS(revision));
        row.put(ItemKeys.UPDATED_AT, n(item.updatedAt()));
        row.put(ItemKeys.DELETED, AttributeValue.fromBool(item.isDelete()));
        if (item.isDelete()) return row;
        if (item.category() != null) row.put(ItemKeys.CATEGORY, AttributeValue.fromS(item.category()));
        if (item.brand() != null) row.put(ItemKeys.BRAND, AttributeValue.fromS(item.brand()));
        if (!item.genres().isEmpty()) row.put(ItemKeys.GENRES, AttributeValue.fromL(item.genres().stream().map(AttributeValue::fromS).toList()));
        // Plain decimal: DynamoDB numbers are decimal strings, and Double.toString writes 1.0E9.
        if (item.price() != null) row.put(ItemKeys.PRICE, AttributeValue.fromN(BigDecimal.valueOf(item.price()).toPlainString()));
        row.put(ItemKeys.CREATION_TIMESTAMP, n(item.creationTimestamp()));
        row.put(ItemKeys.AVAILABLE, AttributeValue.fromBool(item.available()));
        if (!item.display().isEmpty()) {
            Map<String, AttributeValue> display = new HashMap<>();
            item.display().forEach((k, v) -> display.put(k, AttributeValue.fromS(v)));
            row.put(ItemKeys.DISPLAY, AttributeValue.fromM(display));
        }
        return row;
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
