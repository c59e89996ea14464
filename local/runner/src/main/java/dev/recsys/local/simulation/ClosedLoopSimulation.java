package dev.recsys.local.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.producer.core.EventProducer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Simulated users close the loop: each asks the API for recommendations, and clicks or buys what it
 * was shown with probabilities set by the workload's planted taste clusters — ground truth no model
 * ever sees. A user reads the list top down and clicks at most one item (so CTR is the share of
 * answers clicked); a click may lead to a purchase. Clicks carry the answer's recommendation_id
 * (most of them: the rest exercise the window rule); purchases never do.
 *
 * <p>Deterministic by seed: every draw comes from a generator seeded by (seed, user, round), so the
 * outcome depends only on what was shown, and each round starts when the previous one is fully
 * ingested (see {@link Quiescence}), so what is shown does not depend on timing either.
 */
public final class ClosedLoopSimulation {

    /** The click model. */
    public record Behaviour(double clickInCluster, double clickOutOfCluster, double buyInCluster, double buyOutOfCluster,
                            double markedClicks) {
        public static Behaviour standard() {
            return new Behaviour(0.06, 0.004, 0.30, 0.05, 0.8);
        }

        double click(boolean inCluster) {
            return inCluster ? clickInCluster : clickOutOfCluster;
        }

        double buy(boolean inCluster) {
            return inCluster ? buyInCluster : buyOutOfCluster;
        }
    }

    /** Per variant: what was shown and done, and what the clusters predicted for those very lists. */
    public record VariantOutcome(long answers, long clicks, long purchases, double expectedClicks, double expectedPurchases) {
        VariantOutcome plus(long a, long c, long p, double ec, double ep) {
            return new VariantOutcome(answers + a, clicks + c, purchases + p, expectedClicks + ec, expectedPurchases + ep);
        }

        public double expectedCtr() {
            return answers == 0 ? 0 : expectedClicks / answers;
        }

        public double observedCtr() {
            return answers == 0 ? 0 : (double) clicks / answers;
        }
    }

    /** Waits until what a round sent is ingested, attributed and reflected in the next answers. */
    @FunctionalInterface
    public interface Quiescence {
        /** Called before the round asks anything: what the system has done so far is the baseline. */
        Round begin();

        @FunctionalInterface
        interface Round {
            void await(long answers, long events) throws InterruptedException;
        }
    }

    /** Sends the API's queued exposures before the clicks they lead to (a real user takes seconds to click). */
    @FunctionalInterface
    public interface ExposureFlush {
        void flush() throws InterruptedException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 10;

    private final URI api;
    private final String[] callerHeaders;
    private final SyntheticWorkload truth;
    private final Behaviour behaviour;
    private final long seed;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> assignments = new TreeMap<>();

    public ClosedLoopSimulation(URI api, String[] callerHeaders, SyntheticWorkload truth, Behaviour behaviour, long seed) {
        this.api = api;
        this.callerHeaders = callerHeaders;
        this.truth = truth;
        this.behaviour = behaviour;
        this.seed = seed;
    }

    /** Runs the rounds; returns per variant what happened. */
    public Map<String, VariantOutcome> run(List<String> users, int rounds, EventProducer producer, ExposureFlush exposures,
                                           Quiescence quiescence) throws Exception {
        Map<String, VariantOutcome> outcome = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            Quiescence.Round settled = quiescence.begin();
            List<InteractionEvent> events = new ArrayList<>();
            long answers = 0;
            for (String user : users) {
                JsonNode answer = ask(user);
                answers++;
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + user.hashCode() * 31L + round);
                int cluster = truth.clusterOfUser(user);
                String recommendationId = answer.path("recommendation_id").asText();
                long clicks = 0, purchases = 0;
                double expectedClicks = 0, expectedPurchases = 0, notYet = 1;
                boolean done = false;
                long t = System.currentTimeMillis();
                for (JsonNode i : answer.path("items")) {
                    String item = i.path("item_id").asText();
                    boolean in = truth.clusterOfItem(item) == cluster;
                    double p = behaviour.click(in);
                    expectedClicks += notYet * p;
                    expectedPurchases += notYet * p * behaviour.buy(in);
                    notYet *= 1 - p;
                    // Every draw is made, clicked or not, so one outcome never shifts the next one's stream.
                    boolean clicked = random.nextDouble() < p;
                    boolean bought = random.nextDouble() < behaviour.buy(in);
                    boolean marked = random.nextDouble() < behaviour.markedClicks();
                    if (done || !clicked) continue;
                    done = true;
                    clicks++;
                    events.add(new InteractionEvent("sim-" + seed + "-" + round + "-" + user + "-c", user, item, "click", null,
                            t, null, Map.of(), marked ? recommendationId : null));
                    if (bought) {
                        purchases++;
                        events.add(InteractionEvent.of("sim-" + seed + "-" + round + "-" + user + "-p", user, item, "purchase", t + 1));
                    }
                }
                String variant = answer.path("variant").asText();
                assignments.put(user, variant);
                outcome.merge(variant, new VariantOutcome(1, clicks, purchases, expectedClicks, expectedPurchases),
                        (a, b) -> a.plus(b.answers(), b.clicks(), b.purchases(), b.expectedClicks(), b.expectedPurchases()));
            }
            exposures.flush();
            producer.sendAll(events).join();
            settled.await(answers, events.size());
        }
        return outcome;
    }

    /** User → the variant the API served them (in the last round). */
    public Map<String, String> assignments() {
        return Map.copyOf(assignments);
    }

    private JsonNode ask(String user) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/users/" + user + "/recommendations?limit=" + LIMIT))
                .headers(callerHeaders).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("the API answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
