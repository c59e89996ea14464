package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.CatalogChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A catalog entity's table (items, users): one row per entity, each record one PutItem of the entity's whole state,
 * conditional on the stored revision being smaller. A replayed or late record fails the condition and changes
 * nothing, and a delete is a tombstone with its revision, so an older upsert cannot bring the entity back. No read
 * before the write, no transaction (dynalite has none): the condition alone decides, also between two workers during
 * a lease takeover.
 *
 * @param <R> the entity's record
 */
final class RevisionedRows<R extends CatalogChange<R>> {

    /** PutItem calls in flight at once (one per record; DynamoDB has no conditional batch write). */
    private static final int MAX_IN_FLIGHT = 32;
    private static final String CONDITION = "attribute_not_exists(#id) OR #rev < :rev";

    /** The attributes every catalog row has, by their names in that table ({@code ItemKeys}, {@code UserKeys}). */
    record Columns(String key, String revision, String updatedAt, String deleted) {

        /** A row at {@code revision}: these attributes and, unless it is a delete, the entity's own, which {@code live} adds. */
        Map<String, AttributeValue> row(String id, String revision, long updatedAtMillis, boolean delete,
                                        Consumer<Map<String, AttributeValue>> live) {
            Map<String, AttributeValue> row = new HashMap<>();
            row.put(key, AttributeValue.fromS(id));
            row.put(this.revision, AttributeValue.fromS(revision));
            row.put(updatedAt, AttributeValue.fromN(Long.toString(updatedAtMillis)));
            row.put(deleted, AttributeValue.fromBool(delete));
            if (!delete) live.accept(row);
            return row;
        }
    }

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final Columns columns;
    private final BiFunction<R, String, Map<String, AttributeValue>> row;
    private final Retrier retrier;

    /** @param row the record's whole row at the given revision */
    RevisionedRows(DynamoDbAsyncClient dynamo, String table, Columns columns, BiFunction<R, String, Map<String, AttributeValue>> row,
                   Retrier retrier) {
        this.dynamo = dynamo;
        this.table = table;
        this.columns = columns;
        this.row = row;
        this.retrier = retrier;
    }

    /**
     * Durably applies the records and returns all of them, in order, with {@code applied} set: false for a record the
     * table already held (a replay, a producer retry) or that a later record of the same entity supersedes.
     */
    List<R> store(List<R> records) {
        if (records.isEmpty()) return records;
        String[] revisions = new String[records.size()];
        // Only an entity's greatest revision in the batch can win: the others are superseded without a write.
        Map<String, Integer> latest = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            revisions[i] = records.get(i).revision();
            int index = i;
            latest.merge(records.get(i).entityId(), i, (a, b) -> revisions[a].compareTo(revisions[b]) >= 0 ? a : index);
        }
        Boolean[] applied = new Boolean[records.size()];
        retrier.run("PutItem " + table, () -> putUndecided(records, revisions, List.copyOf(latest.values()), applied));
        List<R> result = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) result.add(records.get(i).withApplied(Boolean.TRUE.equals(applied[i])));
        return result;
    }

    /** One round: writes each winner not yet decided; a round with failures throws, and the retry sends only those. */
    private void putUndecided(List<R> records, String[] revisions, List<Integer> winners, Boolean[] applied) {
        List<Integer> undecided = winners.stream().filter(i -> applied[i] == null).toList();
        RuntimeException failure = null;
        for (int from = 0; from < undecided.size(); from += MAX_IN_FLIGHT) {
            List<Integer> chunk = undecided.subList(from, Math.min(undecided.size(), from + MAX_IN_FLIGHT));
            List<CompletableFuture<Boolean>> puts = new ArrayList<>(chunk.size());
            for (int i : chunk) puts.add(put(records.get(i), revisions[i]));
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

    /** @return true when the record is now the entity's state, false when the table held it or a later one */
    private CompletableFuture<Boolean> put(R record, String revision) {
        return dynamo.putItem(b -> b.tableName(table).item(row.apply(record, revision))
                        .conditionExpression(CONDITION)
                        .expressionAttributeNames(Map.of("#id", columns.key(), "#rev", columns.revision()))
                        .expressionAttributeValues(Map.of(":rev", AttributeValue.fromS(revision))))
                .handle((ok, err) -> {
                    if (err == null) return true;
                    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                    if (cause instanceof ConditionalCheckFailedException) return false;
                    throw new CompletionException(cause);
                });
    }
}
