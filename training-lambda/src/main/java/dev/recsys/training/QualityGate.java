package dev.recsys.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Promotion rule, the same for every deployed solution: a candidate replaces the live version only if
 * neither its NDCG@10 nor its precision@10 falls more than {@code tolerance} (relative) below the live
 * version's, and neither is below the popularity baseline trained in the same run on the same data
 * (no tolerance: a model worse than popularity answers worse than the API's own popular-items fallback). With no live version
 * only the baseline rule applies; without candidate or baseline metrics nothing is promoted.
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

    /**
     * @param live     metrics of the version the campaign serves now, null when there is none
     * @param baseline metrics of the popularity baseline of the same run (the candidate's own when it is the baseline)
     */
    public Decision decide(Metrics candidate, Metrics live, Metrics baseline) {
        if (candidate == null) return new Decision(false, "the new solution version has no NDCG@10/precision@10 metrics");
        if (baseline == null) {
            return new Decision(false, "the popularity baseline has no NDCG@10/precision@10 metrics to compare with");
        }
        List<String> worse = new ArrayList<>();
        belowBaseline("NDCG@10", candidate.ndcgAt10(), baseline.ndcgAt10(), worse);
        belowBaseline("precision@10", candidate.precisionAt10(), baseline.precisionAt10(), worse);
        if (live != null) {
            belowLive("NDCG@10", candidate.ndcgAt10(), live.ndcgAt10(), worse);
            belowLive("precision@10", candidate.precisionAt10(), live.precisionAt10(), worse);
        }
        if (!worse.isEmpty()) return new Decision(false, String.join("; ", worse));
        String vsLive = live == null ? "no live version to compare with"
                : String.format(Locale.ROOT, "within %.1f%% of the live version or better", tolerance * 100);
        return new Decision(true, vsLive + ", not below the popularity baseline");
    }

    private static void belowBaseline(String name, double candidate, double baseline, List<String> worse) {
        if (candidate < baseline) {
            worse.add(String.format(Locale.ROOT, "%s %.4f is below the popularity baseline's %.4f", name, candidate, baseline));
        }
    }

    private void belowLive(String name, double candidate, double live, List<String> worse) {
        double floor = live * (1 - tolerance);
        if (candidate < floor) {
            worse.add(String.format(Locale.ROOT, "%s %.4f is below the live %.4f minus %.1f%% (%.4f)",
                    name, candidate, live, tolerance * 100, floor));
        }
    }
}
