package dev.recsys.consumer.sink;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.UserProfileKeys;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The {@code user_profiles} table: event count, counts per event type, first/last activity.
 * Idempotent without transactions (dynalite has none): each profile remembers, per shard, the
 * position of the last record it counted ({@code applied}); only later records are counted, and
 * the write is conditional on the profile's {@code version}, so a replayed batch or a zombie worker
 * after a lease takeover can never count an event twice. One conditional PutItem per user per window.
 */
public final class DynamoProfileStore implements ProfileStore {

    private final VersionedRows rows;
    private final Clock clock;

    public DynamoProfileStore(DynamoDbAsyncClient dynamo, String table, Retrier retrier, Clock clock) {
        this.rows = new VersionedRows(dynamo, table, UserProfileKeys.PARTITION_KEY, null, retrier);
        this.clock = clock;
    }

    @Override
    public void apply(String shardId, List<Accepted> firstSeen) {
        Map<String, List<Accepted>> byUser = new LinkedHashMap<>();
        for (Accepted a : firstSeen) byUser.computeIfAbsent(a.event().userId(), u -> new ArrayList<>()).add(a);
        List<VersionedRows.Key> keys = byUser.keySet().stream().map(u -> new VersionedRows.Key(u, null)).toList();
        rows.apply(keys, (key, current) -> merge(key.partition(), current, shardId, byUser.get(key.partition()), clock.millis()));
    }

    /** The new profile, or null when every event was already counted for this shard. */
    static Map<String, AttributeValue> merge(String user, Map<String, AttributeValue> current, String shardId,
                                             List<Accepted> events, long nowMillis) {
        Map<String, AttributeValue> applied = current == null || !current.containsKey("applied")
                ? new HashMap<>() : new HashMap<>(current.get("applied").m());
        String watermark = applied.containsKey(shardId) ? applied.get(shardId).s() : "";
        long count = current == null ? 0 : Long.parseLong(current.get("event_count").n());
        long first = current == null ? Long.MAX_VALUE : Long.parseLong(current.get("first_event_at").n());
        long last = current == null ? Long.MIN_VALUE : Long.parseLong(current.get("last_event_at").n());
        String lastItem = current == null ? null : current.get("last_item_id").s();
        Map<String, Long> byType = new HashMap<>();
        if (current != null && current.containsKey("counts_by_type")) {
            current.get("counts_by_type").m().forEach((k, v) -> byType.put(k, Long.parseLong(v.n())));
        }
        String newWatermark = watermark;
        int added = 0;
        for (Accepted a : events) {
            String pos = a.position().sortable();
            if (pos.compareTo(watermark) <= 0) continue;
            InteractionEvent e = a.event();
            added++;
            count++;
            byType.merge(e.eventType(), 1L, Long::sum);
            first = Math.min(first, e.timestampMillis());
            if (e.timestampMillis() >= last) {
                last = e.timestampMillis();
                lastItem = e.itemId();
            }
            if (pos.compareTo(newWatermark) > 0) newWatermark = pos;
        }
        if (added == 0) return null;
        applied.put(shardId, AttributeValue.fromS(newWatermark));
        long version = current == null ? 0 : Long.parseLong(current.get("version").n());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(UserProfileKeys.PARTITION_KEY, AttributeValue.fromS(user));
        item.put("event_count", n(count));
        item.put("counts_by_type", AttributeValue.fromM(byType.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, t -> n(t.getValue())))));
        item.put("first_event_at", n(first));
        item.put("last_event_at", n(last));
        item.put("last_item_id", AttributeValue.fromS(lastItem));
        item.put("applied", AttributeValue.fromM(applied));
        item.put("version", n(version + 1));
        item.put("updated_at", n(nowMillis));
        return item;
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
