package dev.recsys.consumer.sink;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.consumer.ingest.IngestedRecord.Accepted;
import java.time.Clock;
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
 * The {@code interactions} table, keyed by (user, event id). Before writing it reads which keys already
 * exist (reads are cheap and not write requests) so that a producer retry — same event id, whatever
 * its timestamp — is neither rewritten nor counted twice,
 * while a replay of our own earlier write (same shard position, stored in {@code src_pos}) is
 * recognised as ours. Writes go out as BatchWriteItem (25 per request); unprocessed items are
 * retried with backoff and jitter until they land or the retries run out.
 */
public final class DynamoInteractionStore implements InteractionStore {

    static final String SOURCE_POSITION = "src_pos";
    private static final int BATCH_WRITE_LIMIT = 25;

    private final DynamoDbAsyncClient dynamo;
    private final String table;
    private final long ttlSeconds;
    private final Retrier retrier;
    private final Clock clock;
    private final ExecutorService pool;

    /** @param pool runs the BatchGetItem/BatchWriteItem calls of one flush concurrently */
    public DynamoInteractionStore(DynamoDbAsyncClient dynamo, String table, int ttlDays, Retrier retrier, Clock clock,
                                  ExecutorService pool) {
        this.dynamo = dynamo;
        this.table = table;
        this.ttlSeconds = ttlDays * 86_400L;
        this.retrier = retrier;
        this.clock = clock;
        this.pool = pool;
    }

    @Override
    public List<Accepted> store(String shardId, List<Accepted> events) {
        if (events.isEmpty()) return List.of();
        // The first record per key in this batch owns it; later ones are duplicates of it.
        Map<Key, Accepted> owners = new LinkedHashMap<>();
        for (Accepted a : events) owners.putIfAbsent(Key.of(a.event()), a);

        Map<Key, String> existing = existingSourcePositions(owners.keySet());
        List<Map<String, AttributeValue>> toWrite = new ArrayList<>();
        Set<Key> ours = new HashSet<>();
        for (Map.Entry<Key, Accepted> e : owners.entrySet()) {
            String mine = sourcePosition(shardId, e.getValue());
            String stored = existing.get(e.getKey());
            if (stored == null) {
                toWrite.add(item(e.getValue().event(), mine));
                ours.add(e.getKey());
            } else if (stored.equals(mine)) {
                ours.add(e.getKey()); // our own write, replayed: already durable
            }
        }
        List<Runnable> writes = new ArrayList<>();
        for (int i = 0; i < toWrite.size(); i += BATCH_WRITE_LIMIT) {
            List<Map<String, AttributeValue>> chunk = toWrite.subList(i, Math.min(toWrite.size(), i + BATCH_WRITE_LIMIT));
            writes.add(() -> writeBatch(chunk));
        }
        inParallel(writes);
        List<Accepted> result = new ArrayList<>(events.size());
        for (Accepted a : events) {
            Key k = Key.of(a.event());
            result.add(a.withFirstSeen(ours.contains(k) && owners.get(k) == a));
        }
        return result;
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

    static String sourcePosition(String shardId, Accepted a) {
        return shardId + "/" + a.position().sortable();
    }

    private Map<Key, String> existingSourcePositions(Set<Key> keys) {
        Map<Key, String> found = new ConcurrentHashMap<>();
        List<Key> all = new ArrayList<>(keys);
        List<Runnable> reads = new ArrayList<>();
        for (int i = 0; i < all.size(); i += ConsistentBatchGet.MAX_KEYS) {
            List<Map<String, AttributeValue>> chunk = all.subList(i, Math.min(all.size(), i + ConsistentBatchGet.MAX_KEYS))
                    .stream().map(Key::toAttributes).toList();
            reads.add(() -> ConsistentBatchGet.read(dynamo, table, chunk, retrier,
                    b -> b.projectionExpression("#u, #s, #p").expressionAttributeNames(Map.of("#u", InteractionKeys.PARTITION_KEY,
                            "#s", InteractionKeys.SORT_KEY, "#p", SOURCE_POSITION)),
                    item -> {
                        AttributeValue pos = item.get(SOURCE_POSITION);
                        found.put(Key.from(item), pos == null ? "" : pos.s());
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

    private Map<String, AttributeValue> item(InteractionEvent e, String sourcePosition) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(InteractionKeys.PARTITION_KEY, s(e.userId()));
        item.put(InteractionKeys.SORT_KEY, s(e.eventId()));
        item.put(InteractionKeys.ITEM_INDEX_PARTITION_KEY, s(e.itemId()));
        item.put("event_type", s(e.eventType()));
        item.put(InteractionKeys.EVENT_TIME, n(e.timestampMillis()));
        if (e.eventValue() != null) item.put("event_value", AttributeValue.fromN(Double.toString(e.eventValue())));
        if (e.sessionId() != null) item.put("session_id", s(e.sessionId()));
        if (!e.properties().isEmpty()) {
            item.put("properties", AttributeValue.fromM(e.properties().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, p -> s(p.getValue())))));
        }
        item.put(InteractionKeys.TTL_ATTRIBUTE, n(e.timestampMillis() / 1000 + ttlSeconds));
        item.put(SOURCE_POSITION, s(sourcePosition));
        item.put("ingested_at", n(clock.millis()));
        return item;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private record Key(String userId, String eventId) {
        static Key of(InteractionEvent e) {
            return new Key(e.userId(), e.eventId());
        }

        static Key from(Map<String, AttributeValue> item) {
            return new Key(item.get(InteractionKeys.PARTITION_KEY).s(), item.get(InteractionKeys.SORT_KEY).s());
        }

        Map<String, AttributeValue> toAttributes() {
            return Map.of(InteractionKeys.PARTITION_KEY, AttributeValue.fromS(userId),
                    InteractionKeys.SORT_KEY, AttributeValue.fromS(eventId));
        }
    }
}
