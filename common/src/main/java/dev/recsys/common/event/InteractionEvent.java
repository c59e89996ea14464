package dev.recsys.common.event;

import java.util.Map;
import java.util.Objects;

/**
 * One user interaction, as producers write it to Kinesis (one JSON object per user record,
 * partition key {@code user_id}). Instances are only made by {@link EventParser} or by code
 * that owns its input (the synthetic workload), so every field already satisfies {@link EventLimits}.
 *
 * @param eventId         producer idempotency key, or one derived from the record's position
 * @param timestampMillis event time in epoch milliseconds (never processing time)
 * @param eventValue      optional numeric value (rating, price...), {@code null} when absent
 * @param sessionId       optional, {@code null} when absent
 * @param properties      flat string map, empty when absent
 */
public record InteractionEvent(
        String eventId,
        String userId,
        String itemId,
        String eventType,
        Double eventValue,
        long timestampMillis,
        String sessionId,
        Map<String, String> properties) {

    public InteractionEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(eventType, "eventType");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static InteractionEvent of(String eventId, String userId, String itemId, String eventType, long timestampMillis) {
        return new InteractionEvent(eventId, userId, itemId, eventType, null, timestampMillis, null, Map.of());
    }
}
