package dev.recsys.personalize.engine.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last PutEvents of each user with what they said about recommendations ({@code recommendationId},
 * {@code impression}), kept in memory for inspection: Personalize records them as impressions data;
 * the offline walkthrough and tests read them back to check what the consumer forwarded.
 */
public final class TrackedEvents {

    /** One event as received. */
    public record Received(String itemId, String eventType, String recommendationId, List<String> impression) {
        public Received {
            impression = impression == null ? List.of() : List.copyOf(impression);
        }
    }

    static final int PER_USER = 100;

    private final Map<String, Deque<Received>> byTrackerAndUser = new ConcurrentHashMap<>();

    void add(String trackingId, String userId, Received event) {
        Deque<Received> events = byTrackerAndUser.computeIfAbsent(trackingId + "\n" + userId, k -> new ArrayDeque<>());
        synchronized (events) {
            events.addLast(event);
            if (events.size() > PER_USER) events.removeFirst();
        }
    }

    /** Oldest first; empty when none. */
    public List<Received> of(String trackingId, String userId) {
        Deque<Received> events = byTrackerAndUser.get(trackingId + "\n" + userId);
        if (events == null) return List.of();
        synchronized (events) {
            return List.copyOf(events);
        }
    }
}
