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
 * @param recommendationId the id of the answer ({@link Exposure}) this interaction came from, {@code null} when unknown
 */
public record InteractionEvent(
        String eventId,
        String userId,
        String itemId,
        String eventType,
        Double eventValue,
        long timestampMillis,
        String sessionId,
        Map<String, String> properties,
        String recommendationId) {

    public InteractionEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(eventType, "eventType");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** An interaction not tied to a recommendation. */
    public InteractionEvent(String eventId, String userId, String itemId, String eventType, Double eventValue,
                            long timestampMillis, String sessionId, Map<String, String> properties) {
        this(eventId, userId, itemId, eventType, eventValue, timestampMillis, sessionId, properties, null);
    }

    public static InteractionEvent of(String eventId, String userId, String itemId, String eventType, long timestampMillis) {
        return new InteractionEvent(eventId, userId, itemId, eventType, null, timestampMillis, null, Map.of());
    }

    public InteractionEvent withRecommendationId(String id) {
        return new InteractionEvent(eventId, userId, itemId, eventType, eventValue, timestampMillis, sessionId, properties, id);
    }
}
