package dev.recsys.consumer.sink;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.consumer.ingest.IngestedRecord.Accepted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsAsyncClient;
import software.amazon.awssdk.services.personalizeevents.model.Event;

/**
 * Forwards stored events to the Personalize event tracker (PutEvents, at most 10 events of one
 * user per call) from a background thread, so a slow or failing tracker never blocks a shard.
 * Failed calls are retried with backoff; when the queue is full or retries run out the events are
 * counted as dropped — S3 and DynamoDB still hold them for the next training run.
 */
public final class PersonalizeEventForwarder implements StoredEventListener {

    static final int MAX_EVENTS_PER_CALL = 10;
    private static final Logger LOG = LoggerFactory.getLogger(PersonalizeEventForwarder.class);

    private final PersonalizeEventsAsyncClient client;
    private final String trackingId;
    private final int attempts;
    private final BlockingQueue<InteractionEvent> queue;
    private final Meter sent;
    private final Meter dropped;
    private final Thread sender;
    private volatile boolean running = true;

    public PersonalizeEventForwarder(PersonalizeEventsAsyncClient client, String trackingId, int capacity, int attempts,
                                     MetricRegistry metrics) {
        this.client = client;
        this.trackingId = trackingId;
        this.attempts = attempts;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sent = metrics.meter("personalize.eventsSent");
        this.dropped = metrics.meter("personalize.eventsDropped");
        this.sender = new Thread(this::sendLoop, "personalize-events");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public void onStored(List<Accepted> firstSeen) {
        for (Accepted a : firstSeen) {
            if (!queue.offer(a.event())) dropped.mark();
        }
    }

    private void sendLoop() {
        List<InteractionEvent> drained = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                InteractionEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                drained.add(first);
                queue.drainTo(drained, 999);
                for (List<InteractionEvent> call : calls(drained)) send(call);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                drained.clear();
            }
        }
    }

    /** Groups events by user, in chunks of at most {@value #MAX_EVENTS_PER_CALL}. */
    static List<List<InteractionEvent>> calls(List<InteractionEvent> events) {
        Map<String, List<InteractionEvent>> byUser = new LinkedHashMap<>();
        for (InteractionEvent e : events) byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
        List<List<InteractionEvent>> calls = new ArrayList<>();
        for (List<InteractionEvent> userEvents : byUser.values()) {
            for (int i = 0; i < userEvents.size(); i += MAX_EVENTS_PER_CALL) {
                calls.add(userEvents.subList(i, Math.min(userEvents.size(), i + MAX_EVENTS_PER_CALL)));
            }
        }
        return calls;
    }

    private void send(List<InteractionEvent> events) throws InterruptedException {
        InteractionEvent head = events.get(0);
        List<Event> eventList = events.stream().map(e -> {
            Event.Builder b = Event.builder().eventId(e.eventId()).eventType(e.eventType()).itemId(e.itemId())
                    .sentAt(Instant.ofEpochMilli(e.timestampMillis()));
            if (e.eventValue() != null) b.eventValue(e.eventValue().floatValue());
            return b.build();
        }).toList();
        String session = head.sessionId() != null ? head.sessionId() : "user-" + head.userId();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                client.putEvents(r -> r.trackingId(trackingId).userId(head.userId()).sessionId(session).eventList(eventList))
                        .get(10, TimeUnit.SECONDS);
                sent.mark(events.size());
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (attempt == attempts) {
                    dropped.mark(events.size());
                    LOG.warn("PutEvents for user {} failed after {} attempts: {}", head.userId(), attempts, e.toString());
                } else {
                    Thread.sleep(100L << attempt);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
