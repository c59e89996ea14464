package dev.recsys.consumer.realtime;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.consumer.attribution.ExposureLookup;
import dev.recsys.consumer.attribution.Impressions;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.sink.StoredEventListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsAsyncClient;
import software.amazon.awssdk.services.personalizeevents.model.Event;

/**
 * Forwards stored events to the Personalize event tracker (PutEvents, at most 10 events of one user
 * per call) from a background thread with a bounded number of calls in flight, so a slow or failing
 * tracker never blocks a shard. Failed calls are retried with backoff; when the queue is full or
 * retries run out the events are counted as dropped — S3 and DynamoDB still hold them for the next
 * training run.
 *
 * <p>Every user whose call has finished (sent, or given up) is handed to {@code afterForward}: the
 * cache is invalidated only then, because an answer computed between an earlier invalidation and the
 * tracker receiving the event would be cached without it.
 */
public final class PersonalizeEventForwarder implements StoredEventListener {

    static final int MAX_EVENTS_PER_CALL = 10;
    private static final Logger LOG = LoggerFactory.getLogger(PersonalizeEventForwarder.class);
    private static final String PROBE_ID = "recsys-health-probe";

    /** What the tracker last told us; read by the health check. */
    public record Status(boolean reachable, String detail, Instant at) {}

    /** One PutEvents call: a user's events, the first of them naming user and session. */
    record Call(List<Event> events, InteractionEvent head) {}

    private final PersonalizeEventsAsyncClient client;
    private final String trackingId;
    private final Duration callTimeout;
    private final Consumer<String> afterForward;
    private final Impressions impressions;
    private final BoundedForwarder<InteractionEvent, Call> forwarder;
    private final Meter sent;
    private final Meter dropped;
    private final Meter failedCalls;
    private volatile Status status = new Status(false, "not probed yet", Instant.now());

    /**
     * @param afterForward receives the user id of every finished call (from SDK threads; must be quick)
     */
    public PersonalizeEventForwarder(PersonalizeEventsAsyncClient client, String trackingId, int capacity, int attempts,
                                     int maxInFlight, Duration callTimeout, Consumer<String> afterForward,
                                     Impressions impressions, MetricRegistry metrics) {
        this.client = client;
        this.impressions = impressions;
        this.trackingId = trackingId;
        this.callTimeout = callTimeout;
        this.afterForward = afterForward;
        this.sent = metrics.meter("personalize.eventsSent");
        this.dropped = metrics.meter("personalize.eventsDropped");
        this.failedCalls = metrics.meter("personalize.failedCalls");
        this.forwarder = new BoundedForwarder<>("personalize-events", capacity, attempts, maxInFlight, callTimeout, this::batch,
                this::putEvents, new BoundedForwarder.Outcome<>() {
                    @Override
                    public void sent(Call c) {
                        sent.mark(c.events().size());
                        status = new Status(true, "last PutEvents succeeded", Instant.now());
                        finish(c.head().userId());
                    }

                    @Override
                    public void failed(Call c, Throwable cause, int attempt, boolean givingUp) {
                        failedCalls.mark();
                        status = new Status(false, "last PutEvents failed: " + cause, Instant.now());
                        if (!givingUp) return;
                        dropped.mark(c.events().size());
                        LOG.warn("PutEvents for user {} failed after {} attempts: {}", c.head().userId(), attempt, cause.toString());
                        finish(c.head().userId());
                    }
                });
    }

    /**
     * Probes the tracker, then starts sending. The probe is a PutEvents with an empty event list: the
     * cheapest authenticated call the events API has. Its expected answer, a 400 validation error,
     * proves endpoint, TLS and credentials before the first real event needs them.
     */
    public void start() {
        try {
            client.putEvents(r -> r.trackingId(trackingId).userId(PROBE_ID).sessionId(PROBE_ID).eventList(List.of()))
                    .get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            status = new Status(true, "tracker answered the probe", Instant.now());
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof AwsServiceException ase && ase.statusCode() == 400
                    && !"ResourceNotFoundException".equals(ase.awsErrorDetails().errorCode())) {
                status = new Status(true, "tracker reachable (probe answered " + ase.awsErrorDetails().errorCode() + ")", Instant.now());
            } else {
                status = new Status(false, "tracker probe failed: " + cause, Instant.now());
                LOG.warn("event tracker not reachable at start-up (events are still queued and retried): {}", cause.toString());
            }
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        forwarder.start();
    }

    public Status status() {
        return status;
    }

    @Override
    public void onStored(List<Accepted> firstSeen) {
        for (Accepted a : firstSeen) {
            if (!forwarder.offer(a.event())) {
                dropped.mark();
                afterForward.accept(a.event().userId());
            }
        }
    }

    /** What was drained together, as calls: per user, with the impressions of the answers the events name. */
    private List<Call> batch(List<InteractionEvent> drained) {
        Map<ExposureLookup.ById, Impressions.Shown> shown = shown(drained);
        return calls(drained).stream().map(call -> new Call(call.stream().map(e -> toEvent(e, shown)).toList(), call.get(0))).toList();
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

    /** The answers the drained events name by recommendation_id: their impressions go with them. */
    private Map<ExposureLookup.ById, Impressions.Shown> shown(List<InteractionEvent> events) {
        List<ExposureLookup.ById> ids = events.stream().filter(e -> e.recommendationId() != null)
                .map(e -> new ExposureLookup.ById(e.userId(), e.recommendationId())).distinct().toList();
        return ids.isEmpty() ? Map.of() : impressions.of(ids);
    }

    private java.util.concurrent.CompletableFuture<?> putEvents(Call c) {
        InteractionEvent head = c.head();
        String session = head.sessionId() != null ? head.sessionId() : "user-" + head.userId();
        return client.putEvents(r -> r.trackingId(trackingId).userId(head.userId()).sessionId(session).eventList(c.events()));
    }

    private void finish(String userId) {
        try {
            afterForward.accept(userId);
        } catch (RuntimeException e) {
            LOG.warn("after-forward step failed for user {}: {}", userId, e.toString());
        }
    }

    /**
     * With the answer it came from: Personalize's recommendationId (so Personalize records that list as
     * implicit impressions and can attribute the event) and the explicit impression, the items shown
     * in order (at most the 25 Personalize accepts).
     */
    static Event toEvent(InteractionEvent e, Map<ExposureLookup.ById, Impressions.Shown> shown) {
        Event.Builder b = Event.builder().eventId(e.eventId()).eventType(e.eventType()).itemId(e.itemId())
                .sentAt(Instant.ofEpochMilli(e.timestampMillis()));
        if (e.eventValue() != null) b.eventValue(e.eventValue().floatValue());
        Impressions.Shown answer = e.recommendationId() == null ? null
                : shown.get(new ExposureLookup.ById(e.userId(), e.recommendationId()));
        if (answer != null) {
            if (answer.modelRecommendationId() != null) b.recommendationId(answer.modelRecommendationId());
            if (!answer.items().isEmpty()) b.impression(answer.items().subList(0,
                    Math.min(InteractionsDataset.MAX_IMPRESSION_ITEMS, answer.items().size())));
        }
        return b.build();
    }

    /** Sends what is queued (bounded), then stops. */
    @Override
    public void close() {
        forwarder.close();
    }
}
