package dev.recsys.local.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.local.ingest.ConsumerProcess.Deployment;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.personalize.engine.PersonalizeEngine;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.Producers;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows the loop closing: one user walked through a cache miss, a cache hit, a purchase sent to
 * Kinesis and the fresh answer after it; then the same purchase loop for more users in a row, right
 * after the consumer's redeploy, counted. Every line states what was checked (see {@link FreshnessCheck}).
 */
public final class ServingWalkthrough {

    /** How the freshness probe went: fresh answers out of purchases, and the latencies it saw. */
    public record Probe(int fresh, int purchases, long storedP50, long storedP99, long invalidatedP50, long invalidatedP99,
                        List<String> failures) {
        public boolean allFresh() {
            return fresh == purchases;
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final LocalRecommendationApi api;
    private final LocalStack stack;
    private final Deployment deployment;
    private final PersonalizeEngine engine;
    private final String trackingId;
    private final PrintStream out;

    public ServingWalkthrough(LocalRecommendationApi api, LocalStack stack, Deployment deployment, PersonalizeEngine engine,
                              String trackingId, PrintStream out) {
        this.api = api;
        this.stack = stack;
        this.deployment = deployment;
        this.engine = engine;
        this.trackingId = trackingId;
        this.out = out;
    }

    /** @return true when every step was observed as claimed */
    public boolean run(String user) throws Exception {
        try (EventProducer producer = producer(); FreshnessCheck check = check(producer)) {
            JsonNode first = check.recommendations(user);
            print("first request ", first);
            JsonNode second = check.recommendations(user);
            print("same request  ", second);
            if (!second.path("cached").asBoolean()) {
                // Say why instead of claiming anything: the handler logs a failed or skipped cache write.
                List<String> why = api.messagesAbout(first.path("http_request_id").asText());
                out.printf("  (not from the cache: %s)%n", why.isEmpty() ? "the API logged no reason" : String.join(" | ", why));
            }
            FreshnessCheck.Result r = check.purchaseFirstOf(user, first);
            if (r.item() == null) {
                out.println("  (no recommendation to interact with)");
                return false;
            }
            if (r.storedMillis() >= 0) {
                out.printf("  %s purchases %s through Kinesis: stored in DynamoDB %d ms after PutRecord%n", user, r.item(), r.storedMillis());
            }
            if (r.invalidatedMillis() >= 0) {
                out.printf("  the consumer invalidated %s's cache entry %d ms after PutRecord (generation bumped, hash gone)%n",
                        user, r.invalidatedMillis());
                out.printf("  the event tracker %s the purchase when that happened%n", r.trackerHadEventWhenInvalidated()
                        ? "already had" : "did NOT have");
            }
            if (r.after() != null) print("after purchase", r.after());
            if (r.fresh()) {
                out.printf("  checked: answer not from the cache, %s absent from it%n", r.item());
            } else {
                out.printf("  FAILED: %s%n", r.failure());
            }
            return r.fresh();
        }
    }

    /** One purchase per user, back to back, each checked like the walkthrough's. */
    public Probe probe(List<String> users) throws Exception {
        List<Long> stored = new ArrayList<>();
        List<Long> invalidated = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int fresh = 0;
        try (EventProducer producer = producer(); FreshnessCheck check = check(producer)) {
            for (String user : users) {
                FreshnessCheck.Result r = check.purchaseFirstOf(user, check.recommendations(user));
                if (r.storedMillis() >= 0) stored.add(r.storedMillis());
                if (r.invalidatedMillis() >= 0) invalidated.add(r.invalidatedMillis());
                if (r.fresh()) fresh++;
                else failures.add(user + ": " + r.failure());
            }
        }
        return new Probe(fresh, users.size(), percentile(stored, 50), percentile(stored, 99), percentile(invalidated, 50),
                percentile(invalidated, 99), List.copyOf(failures));
    }

    private EventProducer producer() {
        Endpoints e = stack.endpoints();
        return Producers.create(ProducerConfig.local(ProducerConfig.Mode.PUT_RECORDS, deployment.stream(), e.kinesis(),
                e.accessKey(), e.secretKey()));
    }

    private FreshnessCheck check(EventProducer producer) {
        return new FreshnessCheck(api.uri(), api.callerHeaders(), stack, deployment, engine, trackingId, producer, TIMEOUT);
    }

    /** Nearest-rank percentile; -1 when nothing was measured. */
    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) return -1;
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private void print(String label, JsonNode answer) {
        List<String> items = new ArrayList<>();
        answer.path("items").forEach(i -> items.add(i.path("item_id").asText()));
        out.printf("  %s HTTP %d variant=%s source=%s cached=%s items=%s%n", label, answer.path("http_status").asInt(),
                answer.path("variant").asText("-"), answer.path("source").asText("-"), answer.path("cached").asText("-"), items);
    }
}
