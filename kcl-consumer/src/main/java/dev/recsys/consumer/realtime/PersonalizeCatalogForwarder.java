package dev.recsys.consumer.realtime;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.CatalogChange;
import dev.recsys.consumer.sink.StoredEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the PutItems and PutUsers forwarders share: the upserts a catalog table applied go to their Personalize dataset
 * through a {@link BoundedForwarder}, as {@link PersonalizeEventForwarder} does with events: bounded queue and calls in
 * flight, retries with backoff, then the records are counted as dropped — the table and the raw prefix still hold them
 * for the next bulk import. Of several records of one entity drained together only the latest is sent, at most
 * {@value #MAX_PER_CALL} per call.
 *
 * @param <R> the entity's record
 * @param <M> the SDK's model of one entity in a call
 */
abstract class PersonalizeCatalogForwarder<R extends CatalogChange<R>, M> implements StoredEventListener {

    static final int MAX_PER_CALL = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BoundedForwarder<R, List<M>> forwarder;
    private final Meter dropped;

    /**
     * @param entity {@code item} or {@code user}: names the sender thread, the log and the metrics
     *               ({@code personalize.itemsSent}, {@code personalize.itemsDropped}, {@code personalize.failedItemCalls})
     * @param model  one record as the call carries it
     * @param call   starts one call with at most {@value #MAX_PER_CALL} of them
     */
    PersonalizeCatalogForwarder(String entity, int capacity, int attempts, int maxInFlight, Duration callTimeout,
                                MetricRegistry metrics, Function<R, M> model, Function<List<M>, CompletableFuture<?>> call) {
        String plural = entity + "s";
        String api = "Put" + capitalised(plural);
        Meter sent = metrics.meter("personalize." + plural + "Sent");
        Meter failedCalls = metrics.meter("personalize.failed" + capitalised(entity) + "Calls");
        Logger log = LoggerFactory.getLogger(getClass());
        this.dropped = metrics.meter("personalize." + plural + "Dropped");
        this.forwarder = new BoundedForwarder<>("personalize-" + plural, capacity, attempts, maxInFlight, callTimeout,
                records -> calls(records, model), call, new BoundedForwarder.Outcome<>() {
                    @Override
                    public void sent(List<M> batch) {
                        sent.mark(batch.size());
                    }

                    @Override
                    public void failed(List<M> batch, Throwable cause, int attempt, boolean givingUp) {
                        failedCalls.mark();
                        if (!givingUp) return;
                        dropped.mark(batch.size());
                        log.warn("{} of {} {} failed after {} attempts: {}", api, batch.size(), plural, attempt, cause.toString());
                    }
                });
    }

    public void start() {
        forwarder.start();
    }

    @Override
    public void onStored(List<Accepted> firstSeen) {
        // Interactions go to the event tracker, not to a catalog dataset.
    }

    /** Queues the applied upserts; deletes are skipped, as neither PutItems nor PutUsers can remove an entity. */
    final void forward(List<R> applied) {
        for (R r : applied) {
            if (r.isDelete()) continue;
            if (!forwarder.offer(r)) dropped.mark();
        }
    }

    /** The latest record of each entity, as the call's models, in calls of at most {@value #MAX_PER_CALL}. */
    static <R extends CatalogChange<R>, M> List<List<M>> calls(List<R> records, Function<R, M> model) {
        Map<String, R> latest = new LinkedHashMap<>();
        for (R r : records) latest.merge(r.entityId(), r, (a, b) -> a.revision().compareTo(b.revision()) >= 0 ? a : b);
        List<M> models = latest.values().stream().map(model).toList();
        List<List<M>> calls = new ArrayList<>();
        for (int i = 0; i < models.size(); i += MAX_PER_CALL) calls.add(models.subList(i, Math.min(models.size(), i + MAX_PER_CALL)));
        return calls;
    }

    /** A model's {@code properties}: a JSON object of its dataset schema's fields in camel case, as strings. */
    static String json(Map<String, String> properties) {
        try {
            return JSON.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    /** Sends what is queued (bounded), then stops. */
    @Override
    public void close() {
        forwarder.close();
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
