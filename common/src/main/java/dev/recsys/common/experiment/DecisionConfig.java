package dev.recsys.common.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When a comparison may declare a winner.
 *
 * <p>Why these defaults ({@link #DEFAULTS}):
 * <ul>
 *   <li>α = 0.05: the conventional false-winner rate, now per experiment lifetime rather than per
 *       look. It is per comparison: judging k treatments on two metrics at α each gives up to 2kα
 *       family-wise (divide α by 2k for a Bonferroni bound).</li>
 *   <li>τ, the standard deviation of the mixing distribution N(0, τ²) on the absolute difference, is
 *       the size of effect the test is tuned for: evidence for an effect θ grows like θ²/V, and the
 *       cost of the mixture is about ½ ln(1 + τ²/V), so a τ much larger than real effects delays
 *       detection logarithmically and a τ much smaller than them wastes power more sharply. Johari,
 *       Pekelis and Walsh pick τ from past experiments; with no history yet, τ is set to a typical
 *       worthwhile lift of a mid-range rate. Recommendation CTRs run 1–20%, and a change worth
 *       shipping moves them by a few to 20% relative, i.e. 0.05 to 4 percentage points; the
 *       geometric middle is about 1 point, so {@code ctrTau} = 0.01. Conversions per exposure run
 *       roughly 0.5–5%, a tenth of CTR, so {@code conversionRateTau} = 0.002. Re-tune both from the
 *       observed distribution of effects once a few experiments have finished.</li>
 *   <li>minUsers = 1000 and minExposures = 5000 per arm: the delta-method normal approximation and
 *       the plug-in variance of the mSPRT are asymptotic; at a 1% CTR 5000 exposures are about 50
 *       clicks, the usual floor for trusting a normal approximation of a rate, and 1000 users keep
 *       one heavy user from dominating the variance estimate. Valid always-valid p-values may still
 *       fall below α earlier; the rule only refuses to act on them.</li>
 * </ul>
 *
 * @param alpha             false-winner rate, in (0, 0.5]
 * @param ctrTau            τ for {@link Metric#CTR}, absolute (0.01 = one percentage point)
 * @param conversionRateTau τ for {@link Metric#CONVERSION_RATE}, absolute
 * @param minUsers          users each arm needs before a winner can be declared, at least 2
 * @param minExposures      exposures each arm needs before a winner can be declared, at least 1
 */
public record DecisionConfig(
        @JsonProperty("alpha") double alpha,
        @JsonProperty("ctr_tau") double ctrTau,
        @JsonProperty("conversion_rate_tau") double conversionRateTau,
        @JsonProperty("min_users") long minUsers,
        @JsonProperty("min_exposures") long minExposures) {

    public static final DecisionConfig DEFAULTS = new DecisionConfig(0.05, 0.01, 0.002, 1000, 5000);

    public DecisionConfig {
        if (!(alpha > 0 && alpha <= 0.5)) throw new IllegalArgumentException("alpha must be in (0, 0.5]: " + alpha);
        requireTau("ctrTau", ctrTau);
        requireTau("conversionRateTau", conversionRateTau);
        if (minUsers < 2) throw new IllegalArgumentException("minUsers must be at least 2: " + minUsers);
        if (minExposures < 1) throw new IllegalArgumentException("minExposures must be at least 1: " + minExposures);
    }

    /** τ for {@code metric}. */
    public double tau(Metric metric) {
        return switch (metric) {
            case CTR -> ctrTau;
            case CONVERSION_RATE -> conversionRateTau;
        };
    }

    private static void requireTau(String name, double tau) {
        // A rate difference lies in [-1, 1]; a τ outside (0, 1] is a unit mistake (percent for fraction).
        if (!(tau > 0 && tau <= 1)) throw new IllegalArgumentException(name + " must be in (0, 1]: " + tau);
    }
}
