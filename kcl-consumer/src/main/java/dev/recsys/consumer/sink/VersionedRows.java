package dev.recsys.consumer.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Read-merge-write of counter rows without transactions (dynalite has none): each row carries a
 * {@code version}; a merged row is written with a PutItem conditional on the version it was merged
 * from (or on not existing), and a row someone changed in between is read and merged again, in rounds
 * with backoff. The merge decides what is new, typically with a per-shard watermark kept in the row,
 * so a replayed batch or a zombie worker after a lease takeover can never count anything twice.
 */
final class VersionedRows {

    static final String VERSION = "version";
    private static final int MAX_ROUNDS = 8;

    /** A row's key: the partition key's value, and the sort key's (null for a table without one). */
    record Key(String partition, String sort) {}

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final String partitionKeyName;
    private final String sortKeyName;
    private final Retrier retrier;

    /** @param sortKeyName null for a table keyed by its partition key only */
    VersionedRows(DynamoDbAsyncClient dynamo, String table, String partitionKeyName, String sortKeyName, Retrier retrier) {
        this.dynamo = dynamo;
        this.table = table;
        this.partitionKeyName = partitionKeyName;
        this.sortKeyName = sortKeyName;
        this.retrier = retrier;
    }

    /**
     * @param merge (key, current item or null) → the new item without key attributes and {@code version},
     *              or null when there is nothing to add (already counted)
     * @throws SinkException when rows could not be written after the rounds
     */
    void apply(List<Key> keys, BiFunction<Key, Map<String, AttributeValue>, Map<String, AttributeValue>> merge) {
        List<Key> pending = new ArrayList<>(keys);
        Throwable lastError = null;
        for (int round = 0; !pending.isEmpty() && round < MAX_ROUNDS; round++) {
            if (lastError != null) retrier.pause(round);
            Map<Key, Map<String, AttributeValue>> current = read(pending);
            Map<Key, CompletableFuture<Boolean>> writes = new LinkedHashMap<>();
            for (Key k : pending) {
                Map<String, AttributeValue> merged = merge.apply(k, current.get(k));
                if (merged != null) writes.put(k, write(k, current.get(k), merged));
            }
            List<Key> again = new ArrayList<>();
            lastError = null;
            for (Map.Entry<Key, CompletableFuture<Boolean>> w : writes.entrySet()) {
                try {
                    if (!w.getValue().join()) again.add(w.getKey()); // changed under us: re-read and re-merge
                } catch (CompletionException e) {
                    again.add(w.getKey());
                    lastError = e.getCause();
                }
            }
            pending = again;
        }
        if (!pending.isEmpty()) {
            throw new SinkException(table + ": " + pending.size() + " rows not written after " + MAX_ROUNDS
                    + " rounds" + (lastError == null ? " (concurrent writer?)" : ": " + lastError), lastError);
        }
    }

    /** Completes with false when another writer changed the row since we read it. */
    private CompletableFuture<Boolean> write(Key key, Map<String, AttributeValue> current, Map<String, AttributeValue> merged) {
        Map<String, AttributeValue> item = new HashMap<>(merged);
        item.putAll(attributes(key));
        long version = current == null ? 0 : Long.parseLong(current.get(VERSION).n());
        item.put(VERSION, AttributeValue.fromN(Long.toString(version + 1)));
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(table).item(item);
        if (current == null) {
            request.conditionExpression("attribute_not_exists(#k)").expressionAttributeNames(Map.of("#k", partitionKeyName));
        } else {
            request.conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(Map.of(":v", current.get(VERSION)));
        }
        return dynamo.putItem(request.build()).handle((ok, err) -> {
            if (err == null) return true;
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof ConditionalCheckFailedException) return false;
            throw new CompletionException(cause);
        });
    }

    private Map<Key, Map<String, AttributeValue>> read(List<Key> keys) {
        Map<Key, Map<String, AttributeValue>> found = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < keys.size(); i += ConsistentBatchGet.MAX_KEYS) {
            List<Map<String, AttributeValue>> chunk = keys.subList(i, Math.min(keys.size(), i + ConsistentBatchGet.MAX_KEYS))
                    .stream().map(this::attributes).toList();
            ConsistentBatchGet.read(dynamo, table, chunk, retrier, b -> b, item -> found.put(keyOf(item), item));
        }
        return found;
    }

    private Map<String, AttributeValue> attributes(Key k) {
        return sortKeyName == null ? Map.of(partitionKeyName, AttributeValue.fromS(k.partition()))
                : Map.of(partitionKeyName, AttributeValue.fromS(k.partition()), sortKeyName, AttributeValue.fromS(k.sort()));
    }

    private Key keyOf(Map<String, AttributeValue> item) {
        return new Key(item.get(partitionKeyName).s(), sortKeyName == null ? null : item.get(sortKeyName).s());
    }
}
