package dev.recsys.consumer.sink;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The {@code interactions} table, keyed by (user, event id): a producer retry of an event — same id,
 * whatever its timestamp — is neither rewritten nor counted twice ({@link IdempotentTable}).
 */
public final class DynamoInteractionStore implements InteractionStore {

    private final IdempotentTable table;
    private final long ttlSeconds;
    private final Clock clock;

    /** @param pool runs the BatchGetItem/BatchWriteItem calls of one flush concurrently */
    public DynamoInteractionStore(DynamoDbAsyncClient dynamo, String table, int ttlDays, Retrier retrier, Clock clock,
                                  ExecutorService pool) {
        this.table = new IdempotentTable(dynamo, table, InteractionKeys.PARTITION_KEY, InteractionKeys.SORT_KEY, retrier, pool);
        this.ttlSeconds = ttlDays * 86_400L;
        this.clock = clock;
    }

    @Override
    public List<Accepted> store(String shardId, List<Accepted> events) {
        List<IdempotentTable.Row> rows = new ArrayList<>(events.size());
        for (Accepted a : events) {
            rows.add(new IdempotentTable.Row(a.event().userId(), a.event().eventId(), item(a.event()), sourcePosition(shardId, a)));
        }
        boolean[] firstSeen = table.write(rows);
        List<Accepted> result = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) result.add(events.get(i).withFirstSeen(firstSeen[i]));
        return result;
    }

    static String sourcePosition(String shardId, Accepted a) {
        return shardId + "/" + a.position().sortable();
    }

    private Map<String, AttributeValue> item(InteractionEvent e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(InteractionKeys.ITEM_INDEX_PARTITION_KEY, s(e.itemId()));
        item.put("event_type", s(e.eventType()));
        item.put(InteractionKeys.EVENT_TIME, n(e.timestampMillis()));
        if (e.eventValue() != null) item.put("event_value", AttributeValue.fromN(Double.toString(e.eventValue())));
        if (e.sessionId() != null) item.put("session_id", s(e.sessionId()));
        if (e.recommendationId() != null) item.put("recommendation_id", s(e.recommendationId()));
        if (!e.properties().isEmpty()) {
            item.put("properties", AttributeValue.fromM(e.properties().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, p -> s(p.getValue())))));
        }
        item.put(InteractionKeys.TTL_ATTRIBUTE, n(e.timestampMillis() / 1000 + ttlSeconds));
        item.put("ingested_at", n(clock.millis()));
        return item;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
