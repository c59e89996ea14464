package dev.recsys.training;

import java.util.Locale;
import java.util.Map;

/**
 * Promotion rule: a candidate replaces the live version only if neither its NDCG@10 nor its
 * precision@10 falls more than {@code tolerance} (relative) below the live version's. With no live
 * version the candidate is promoted; without metrics it never is.
 */
public final class QualityGate {

    public static final String NDCG_AT_10 = "normalized_discounted_cumulative_gain_at_10";
    public static final String PRECISION_AT_10 = "precision_at_10";

    /** The two metrics the gate compares, as Personalize's GetSolutionMetrics names them. */
    public record Metrics(double ndcgAt10, double precisionAt10) {
        /** @return null when either metric is absent */
        public static Metrics from(Map<String, Double> metrics) {
            Double ndcg = metrics == null ? null : metrics.get(NDCG_AT_10);
            Double precision = metrics == null ? null : metrics.get(PRECISION_AT_10);
            return ndcg == null || precision == null ? null : new Metrics(ndcg, precision);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "NDCG@10=%.4f precision@10=%.4f", ndcgAt10, precisionAt10);
        }
    }

    public record Decision(boolean promote, String reason) {}

    private final double tolerance;

    public QualityGate(double tolerance) {
        if (tolerance < 0 || tolerance >= 1) throw new IllegalArgumentException("tolerance must be in [0, 1)");
        this.tolerance = tolerance;
    }

    public Decision decide(Metrics candidate, Metrics live) {
        if (candidate == null) return new Decision(false, "the new solution version has no NDCG@10/precision@10 metrics");
        if (live == null) return new Decision(true, "no live version to compare with");
        StringBuilder worse = new StringBuilder();
        check("NDCG@10", candidate.ndcgAt10(), live.ndcgAt10(), worse);
        check("precision@10", candidate.precisionAt10(), live.precisionAt10(), worse);
        if (worse.length() > 0) return new Decision(false, worse.toString());
        return new Decision(true, String.format(Locale.ROOT, "within %.1f%% of the live version or better", tolerance * 100));
    }

    private void check(String name, double candidate, double live, StringBuilder worse) {
        double floor = live * (1 - tolerance);
        if (candidate < floor) {
            if (worse.length() > 0) worse.append("; ");
            worse.append(String.format(Locale.ROOT, "%s %.4f is below the live %.4f minus %.1f%% (%.4f)",
                    name, candidate, live, tolerance * 100, floor));
        }
    }
}
