package dev.recsys.consumer.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A table whose rows are written once per key, whatever replays and producer retries bring. Before
 * writing it reads which keys already exist (reads are cheap and not write requests); each row stores
 * the shard position that wrote it ({@code src_pos}), so a producer retry (same key, other position)
 * is neither rewritten nor counted, while a replay of our own write (same position) is recognised as
 * ours. Writes go out as BatchWriteItem (25 per request, concurrently); unprocessed items are retried
 * with backoff and jitter until they land or the retries run out.
 */
final class IdempotentTable {

    static final String SOURCE_POSITION = "src_pos";
    private static final int BATCH_WRITE_LIMIT = 25;

    /** One row to write: its key and its item (without {@code src_pos}), and the position writing it. */
    record Row(String partitionKey, String sortKey, Map<String, AttributeValue> item, String sourcePosition) {}

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final String partitionKeyName;
    private final String sortKeyName;
    private final Retrier retrier;
    private final ExecutorService pool;

    IdempotentTable(DynamoDbAsyncClient dynamo, String table, String partitionKeyName, String sortKeyName, Retrier retrier,
                    ExecutorService pool) {
        this.dynamo = dynamo;
        this.table = table;
        this.partitionKeyName = partitionKeyName;
        this.sortKeyName = sortKeyName;
        this.retrier = retrier;
        this.pool = pool;
    }

    /**
     * Durably stores the rows and tells, per row in order, whether this row is the one that holds its
     * key: the first row of a key that was new (or our own earlier write of it, replayed). Later rows of
     * the same key in the batch, and rows whose key an earlier, different position wrote, are not.
     *
     * @throws SinkException when the write could not be completed
     */
    boolean[] write(List<Row> rows) {
        boolean[] firstSeen = new boolean[rows.size()];
        if (rows.isEmpty()) return firstSeen;
        Map<Key, Integer> owners = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) owners.putIfAbsent(new Key(rows.get(i).partitionKey(), rows.get(i).sortKey()), i);

        Map<Key, String> existing = existingSourcePositions(owners.keySet());
        List<Map<String, AttributeValue>> toWrite = new ArrayList<>();
        Set<Key> ours = new HashSet<>();
        for (Map.Entry<Key, Integer> e : owners.entrySet()) {
            Row row = rows.get(e.getValue());
            String stored = existing.get(e.getKey());
            if (stored == null) {
                Map<String, AttributeValue> item = new HashMap<>(row.item());
                item.put(partitionKeyName, AttributeValue.fromS(row.partitionKey()));
                item.put(sortKeyName, AttributeValue.fromS(row.sortKey()));
                item.put(SOURCE_POSITION, AttributeValue.fromS(row.sourcePosition()));
                toWrite.add(item);
                ours.add(e.getKey());
            } else if (stored.equals(row.sourcePosition())) {
                ours.add(e.getKey()); // our own write, replayed: already durable
            }
        }
        List<Runnable> writes = new ArrayList<>();
        for (int i = 0; i < toWrite.size(); i += BATCH_WRITE_LIMIT) {
            List<Map<String, AttributeValue>> chunk = toWrite.subList(i, Math.min(toWrite.size(), i + BATCH_WRITE_LIMIT));
            writes.add(() -> writeBatch(chunk));
        }
        inParallel(writes);
        for (Map.Entry<Key, Integer> e : owners.entrySet()) firstSeen[e.getValue()] = ours.contains(e.getKey());
        return firstSeen;
    }

    /** Runs store calls concurrently (bounded by the pool) and fails if any failed, after all finished. */
    private void inParallel(List<Runnable> calls) {
        if (calls.size() == 1) {
            calls.get(0).run();
            return;
        }
        List<Future<?>> futures = calls.stream().<Future<?>>map(pool::submit).toList();
        SinkException failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof SinkException se ? se : new SinkException(e.getCause().toString(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkException("interrupted", e);
            }
        }
        if (failure != null) throw failure;
    }

    private Map<Key, String> existingSourcePositions(Set<Key> keys) {
        Map<Key, String> found = new ConcurrentHashMap<>();
        List<Key> all = new ArrayList<>(keys);
        List<Runnable> reads = new ArrayList<>();
        for (int i = 0; i < all.size(); i += ConsistentBatchGet.MAX_KEYS) {
            List<Map<String, AttributeValue>> chunk = all.subList(i, Math.min(all.size(), i + ConsistentBatchGet.MAX_KEYS))
                    .stream().map(k -> Map.of(partitionKeyName, AttributeValue.fromS(k.pk()), sortKeyName, AttributeValue.fromS(k.sk())))
                    .toList();
            reads.add(() -> ConsistentBatchGet.read(dynamo, table, chunk, retrier,
                    b -> b.projectionExpression("#p, #s, #o").expressionAttributeNames(Map.of("#p", partitionKeyName,
                            "#s", sortKeyName, "#o", SOURCE_POSITION)),
                    item -> {
                        AttributeValue pos = item.get(SOURCE_POSITION);
                        found.put(new Key(item.get(partitionKeyName).s(), item.get(sortKeyName).s()), pos == null ? "" : pos.s());
                    }));
        }
        inParallel(reads);
        return found;
    }

    private void writeBatch(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> pending = items.stream()
                .map(i -> WriteRequest.builder().putRequest(PutRequest.builder().item(i).build()).build())
                .collect(Collectors.toCollection(ArrayList::new));
        retrier.run("BatchWriteItem " + table, () -> {
            BatchWriteItemResponse r = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, List.copyOf(pending)))).join();
            List<WriteRequest> left = r.unprocessedItems().getOrDefault(table, List.of());
            pending.clear();
            pending.addAll(left);
            if (!left.isEmpty()) {
                throw new SinkException(left.size() + " items left unprocessed by BatchWriteItem");
            }
        });
    }

    private record Key(String pk, String sk) {}
}
