package dev.recsys.local.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.ingest.ConsumerProcess;
import dev.recsys.local.serving.LocalRecommendationApi;
import dev.recsys.producer.core.EventProducer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One online experiment, offline: the closed-loop simulation against a deployed API, then the table
 * the system computed ({@code GET /experiments}, as a user would read it), checked against what the
 * simulation did and against what the planted clusters predict.
 */
public final class OnlineExperiment {

    /** One arm as the API reported it, beside the simulation's own count and ground truth. */
    public record Row(String variant, boolean control, long users, long answers, long clicks, long conversions, double ctr,
                      double ctrLow, double ctrHigh, double ctrStandardError, double conversionRate, String lift,
                      String pValue, String verdict, ClosedLoopSimulation.VariantOutcome simulated) {}

    /** What the run showed. Every field was read back from the system or computed from the simulation. */
    public record Report(List<Row> rows, String winner, boolean countsMatch, boolean agreesWithClusters,
                         Map<String, String> assignments) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final LocalRecommendationApi api;
    private final ConsumerProcess consumer;
    private final EventProducer producer;
    private final SyntheticWorkload truth;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    public OnlineExperiment(LocalRecommendationApi api, ConsumerProcess consumer, EventProducer producer, SyntheticWorkload truth,
                            PrintStream out) {
        this.api = api;
        this.consumer = consumer;
        this.producer = producer;
        this.truth = truth;
        this.out = out;
    }

    public Report run(String experiment, List<String> users, int rounds, long seed) throws Exception {
        ClosedLoopSimulation simulation = new ClosedLoopSimulation(api.uri(), api.callerHeaders(), truth,
                ClosedLoopSimulation.Behaviour.standard(), seed);
        long t0 = System.nanoTime();
        Map<String, ClosedLoopSimulation.VariantOutcome> simulated = simulation.run(users, rounds, producer, api::drainExposures,
                this::baseline);
        long answers = simulated.values().stream().mapToLong(ClosedLoopSimulation.VariantOutcome::answers).sum();
        long clicks = simulated.values().stream().mapToLong(ClosedLoopSimulation.VariantOutcome::clicks).sum();
        JsonNode route = awaitResults(experiment, answers, clicks);
        out.printf("  %,d users x %d rounds in %.0f s; results computed by the consumer fleet, read from GET /experiments:%n",
                users.size(), rounds, (System.nanoTime() - t0) / 1e9);
        List<Row> rows = new ArrayList<>();
        for (JsonNode arm : route.path("arms")) rows.add(row(arm, simulated.get(arm.path("variant").asText())));
        return report(experiment, route, rows, simulation.assignments());
    }

    private Row row(JsonNode arm, ClosedLoopSimulation.VariantOutcome sim) {
        JsonNode t = arm.path("totals");
        JsonNode vs = arm.path("ctr_vs_control");
        String lift = vs.isMissingNode() ? "-" : String.format(Locale.ROOT, "%+.0f%%", vs.path("comparison").path("relative_lift").asDouble() * 100);
        String p = vs.isMissingNode() ? "-" : pValue(vs.path("comparison").path("running_p_value").asDouble());
        String verdict = vs.isMissingNode() ? "control" : switch (vs.path("winner").asText()) {
            case "TREATMENT" -> "WINS";
            case "CONTROL" -> "LOSES";
            default -> vs.path("minimum_sample_reached").asBoolean() ? "no winner" : "no winner (sample too small)";
        };
        JsonNode ctr = arm.path("ctr");
        return new Row(arm.path("variant").asText(), arm.path("control").asBoolean(), t.path("users").asLong(),
                t.path("exposures").asLong(), t.path("clicks").asLong(), t.path("conversions").asLong(), ctr.path("estimate").asDouble(),
                ctr.path("ci_low").asDouble(), ctr.path("ci_high").asDouble(), ctr.path("standard_error").asDouble(),
                arm.path("conversion_rate").path("estimate").asDouble(), lift, p, verdict, sim);
    }

    private Report report(String experiment, JsonNode route, List<Row> rows, Map<String, String> assignments) {
        out.printf("  experiment %s, route %s, control %s:%n", experiment, Exposure.USER_RECOMMENDATIONS, route.path("control").asText());
        out.println("    variant    users  answers  clicks  CTR [95% CI]            purchases/answer  lift vs control  always-valid p  verdict");
        String winner = null;
        boolean countsMatch = true, agrees = true;
        for (Row r : rows) {
            out.printf(Locale.ROOT, "    %-8s %7d %8d %7d  %.3f [%.3f, %.3f]   %.3f             %-16s %-15s %s%n", r.variant(), r.users(),
                    r.answers(), r.clicks(), r.ctr(), r.ctrLow(), r.ctrHigh(), r.conversionRate(), r.lift(), r.pValue(), r.verdict());
            if (r.verdict().equals("WINS")) winner = r.variant();
            if (r.verdict().equals("LOSES")) winner = String.valueOf(route.path("control").asText());
            ClosedLoopSimulation.VariantOutcome s = r.simulated();
            countsMatch &= s != null && s.answers() == r.answers() && s.clicks() == r.clicks() && s.purchases() == r.conversions();
            // Ground truth for the very lists shown: agreement within three standard errors of the observed CTR.
            agrees &= s != null && Math.abs(s.expectedCtr() - r.ctr()) <= 3 * r.ctrStandardError();
        }
        out.print("    the planted clusters predict, for the lists shown: CTR");
        for (Row r : rows) out.printf(Locale.ROOT, " %s %.3f", r.variant(), r.simulated() == null ? Double.NaN : r.simulated().expectedCtr());
        out.printf(" -> %s%n", agrees ? "the observed CTRs agree (within 3 standard errors)" : "DISAGREE with the observed CTRs");
        out.printf("    the consumer counted %s the simulation did (answers, clicks, purchases per variant)%n",
                countsMatch ? "exactly what" : "NOT what");
        return new Report(List.copyOf(rows), winner, countsMatch, agrees, assignments);
    }

    private static String pValue(double p) {
        return p < 1e-4 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    /**
     * The consumer's meters before a round; the round is settled when the consumer stored, credited and
     * forwarded everything it produced, and the users' caches were invalidated after it: the next round's
     * answers then see this round's events.
     */
    private ClosedLoopSimulation.Quiescence.Round baseline() {
        Map<String, Long> before = meters();
        return (answers, events) -> awaitIngested(before, answers, events);
    }

    private void awaitIngested(Map<String, Long> before, long answers, long events) throws InterruptedException {
        await("the round's exposures, clicks and purchases ingested and attributed", () -> {
            Map<String, Long> now = meters();
            return delta(before, now, "attribution.exposures") >= answers
                    && delta(before, now, "attribution.clicks") + delta(before, now, "attribution.conversions") >= events
                    && delta(before, now, "personalize.eventsSent") >= events;
        });
        awaitQuiet();
    }

    /** Baseline-free: the meters stop moving once nothing is left in flight (invalidations follow PutEvents). */
    private void awaitQuiet() throws InterruptedException {
        Map<String, Long> last = meters();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(100);
            Map<String, Long> now = meters();
            if (now.equals(last)) return;
            last = now;
        }
    }

    private static long delta(Map<String, Long> before, Map<String, Long> now, String meter) {
        return now.getOrDefault(meter, 0L) - before.getOrDefault(meter, 0L);
    }

    private Map<String, Long> meters() {
        String body = consumer.admin("/metrics");
        Map<String, Long> out = new java.util.TreeMap<>();
        if (body == null) return out;
        try {
            JSON.readTree(body).path("meters").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("count").asLong()));
        } catch (IOException e) {
            // not up: empty
        }
        return out;
    }

    /** Until GET /experiments shows every answer and click of the run; returns the user-recommendations route. */
    private JsonNode awaitResults(String experiment, long answers, long clicks) throws InterruptedException {
        JsonNode[] route = new JsonNode[1];
        await("the experiment results to include the whole run", () -> {
            JsonNode r = userRoute(experiment);
            if (r == null) return false;
            long a = 0, c = 0;
            for (JsonNode arm : r.path("arms")) {
                a += arm.path("totals").path("exposures").asLong();
                c += arm.path("totals").path("clicks").asLong();
            }
            route[0] = r;
            return a == answers && c == clicks;
        });
        return route[0];
    }

    private JsonNode userRoute(String experiment) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api.uri() + "/experiments?experiment=" + experiment))
                    .headers(api.callerHeaders()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return null;
            for (JsonNode route : JSON.readTree(r.body()).path("experiments").path(0).path("routes")) {
                if (route.path("route").asText().equals(Exposure.USER_RECOMMENDATIONS)) return route;
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out waiting for " + what + "; consumer meters " + meters());
    }
}
