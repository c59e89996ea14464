package dev.recsys.gatling.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Response times per phase of one run, as Gatling measured them (its {@code responseTimeInMillis} check), and the
 * same-run verdict: the recommendations' p99 may be at most {@code factor} × the yardstick's p99 + {@code marginMs}. The
 * yardstick is GET /health through the same gateway, client and machine, just before: what a request costs without
 * the work (key check, proxy event, handler dispatch), so a slower or busier machine moves both sides and the verdict
 * is about the API's own cost, not the hardware.
 */
public final class Yardstick {

    public static final String YARDSTICK = "yardstick";
    public static final String RECOMMENDATIONS = "recommendations";
    public static final String WARM_UP = "warm-up";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ConcurrentLinkedQueue<Integer>> byPhase = new ConcurrentHashMap<>();

    public void add(String phase, int millis) {
        byPhase.computeIfAbsent(phase, p -> new ConcurrentLinkedQueue<>()).add(millis);
    }

    public Summary summary(String phase) {
        List<Integer> sorted = new ArrayList<>(byPhase.getOrDefault(phase, new ConcurrentLinkedQueue<>()));
        Collections.sort(sorted);
        return new Summary(sorted.size(), percentile(sorted, 50), percentile(sorted, 99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile of sorted values; 0 for none. */
    static int percentile(List<Integer> sorted, double p) {
        if (sorted.isEmpty()) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }

    public record Summary(int count, int p50, int p99, int max) {}

    /** The comparison and what to print about it. */
    public record Verdict(Summary yardstick, Summary recommendations, double factor, int marginMs, int yardstickMaxP99Ms) {
        public double limitMs() {
            return factor * yardstick.p99() + marginMs;
        }

        /** Why it fails, null when it passes. */
        public String reason() {
            if (yardstick.count() == 0 || recommendations.count() == 0) return "a phase measured nothing";
            if (yardstick.p99() > yardstickMaxP99Ms) {
                return String.format("the yardstick itself queued (p99 %d ms > %d ms): the machine cannot carry this rate, nothing to compare",
                        yardstick.p99(), yardstickMaxP99Ms);
            }
            if (recommendations.p99() > limitMs()) {
                return String.format("recommendation p99 %d ms > limit %.1f ms", recommendations.p99(), limitMs());
            }
            return null;
        }

        /** One line of JSON with the same figures, for scripts and the README's table. */
        public String toJson() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("benchmark", "gatling-recommendation-api");
            Map<String, Object> floor = figures(yardstick);
            floor.put("route", "GET /health");
            doc.put("yardstick", floor);
            doc.put("recommendations", figures(recommendations));
            doc.put("limit_ms", limitMs());
            doc.put("passed", passed());
            try {
                return JSON.writeValueAsString(doc);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Map<String, Object> figures(Summary s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", s.count());
            m.put("p50_ms", s.p50());
            m.put("p99_ms", s.p99());
            m.put("max_ms", s.max());
            return m;
        }

        public boolean passed() {
            return reason() == null;
        }

        public String describe() {
            return String.format("yardstick GET /health: %d requests, p50 %d ms, p99 %d ms, max %d ms%n"
                            + "recommendations:       %d requests, p50 %d ms, p99 %d ms, max %d ms%n"
                            + "p99 %d ms %s limit %.1f ms (%s x yardstick p99 %d ms + %d ms): %s",
                    yardstick.count(), yardstick.p50(), yardstick.p99(), yardstick.max(),
                    recommendations.count(), recommendations.p50(), recommendations.p99(), recommendations.max(),
                    recommendations.p99(), recommendations.p99() <= limitMs() ? "<=" : ">", limitMs(), factor, yardstick.p99(), marginMs,
                    passed() ? "PASS" : "FAIL (" + reason() + ")");
        }
    }

    public Verdict verdict(double factor, int marginMs, int yardstickMaxP99Ms) {
        return new Verdict(summary(YARDSTICK), summary(RECOMMENDATIONS), factor, marginMs, yardstickMaxP99Ms);
    }
}
