package dev.recsys.common.experiment;

/**
 * Always-valid inference for a difference θ = r_T − r_C with the normal-mixture sequential
 * probability ratio test (mSPRT).
 *
 * <p>Why: a fixed-horizon p-value is valid at one pre-planned look. Looking every hour and stopping at
 * the first p &lt; α makes the false-winner rate grow with the number of looks (towards 1 in the
 * limit). The mSPRT's p-value stays valid at any data-dependent stopping time, so the results job can
 * report it on every run. Source: Johari, Pekelis and Walsh, "Always Valid Inference: Continuous
 * Monitoring of A/B Tests", Operations Research 70(3):1806–1821, 2022 (arXiv:1512.04922), the method
 * behind Optimizely's Stats Engine; the A/B (two-stream) form with a plug-in variance is also in
 * Johari, Koomen, Pekelis and Walsh, "Peeking at A/B Tests", KDD 2017.
 *
 * <p>The statistic, for an estimate θ̂ ~ N(θ, V) and the mixing distribution θ ~ N(0, τ²) under the
 * alternative, is the mixture likelihood ratio against θ = 0 in closed form:
 *
 * <pre>
 *   Λ = ∫ φ((θ̂−θ)/√V) / φ(θ̂/√V) dN(θ; 0, τ²) = sqrt(V/(V+τ²)) · exp( τ²θ̂² / (2V(V+τ²)) )
 * </pre>
 *
 * Under θ = 0 it is a non-negative martingale with mean 1, so by Ville's inequality
 * P(sup Λ ≥ 1/α) ≤ α; hence the always-valid p-value p_n = min(p_{n−1}, 1/Λ_n) (a running minimum,
 * p_0 = 1), and the confidence sequence {θ : Λ(θ) &lt; 1/α}, which solves in closed form to
 *
 * <pre>
 *   θ̂ ± sqrt( V(V+τ²)/τ² · ( ln((V+τ²)/V) − 2 ln α ) ).
 * </pre>
 *
 * (The paper's own equation numbers differ between its arXiv and journal versions and could not be
 * checked here, so the results are cited by content. The same two formulas, under the substitution
 * τ² = V·N·ρ², are GrowthBook's sequential test, which cites Waudby-Smith et al., arXiv:2103.06476v7,
 * eq. 9 and 155; the tests check this class against GrowthBook's published numbers.)
 *
 * <p>τ² is on the absolute scale of the metric (a CTR difference of 0.01 is one percentage point) and
 * fixed for the life of an experiment; it says how large the effects one expects are, see
 * {@link DecisionConfig}. V is re-estimated at each look (the plug-in approximation of the paper's
 * A/B-test section); with thousands of users its error is negligible, and the minimum-sample rule in
 * {@link Verdict} keeps decisions away from the small samples where it is not.
 */
public final class MixtureSprt {

    /** The "previous" p-value to pass at an experiment's first look. */
    public static final double FIRST_LOOK = 1.0;

    private MixtureSprt() {
    }

    /** An interval [low, high]. */
    public record Interval(double low, double high) {
    }

    /** ln Λ, computed in logs so that very strong evidence does not overflow. */
    public static double logLikelihoodRatio(double thetaHat, double variance, double tauSquared) {
        check(thetaHat, variance, tauSquared);
        double r = tauSquared / variance;
        return -0.5 * Math.log1p(r) + thetaHat * thetaHat / variance * r / (2 * (1 + r));
    }

    /** This look's always-valid p-value min(1, 1/Λ); combine looks with {@link #runningPValue}. */
    public static double pValue(double thetaHat, double variance, double tauSquared) {
        return Math.min(1.0, Math.exp(-logLikelihoodRatio(thetaHat, variance, tauSquared)));
    }

    /**
     * The always-valid p-value after this look: the minimum over all looks so far. Taking the minimum
     * is what makes stopping at the first p &lt; α legitimate.
     *
     * @param previous the value this method returned at the previous look, or {@link #FIRST_LOOK}
     */
    public static double runningPValue(double previous, double current) {
        if (!(previous >= 0 && previous <= 1)) throw new IllegalArgumentException("previous p-value must be in [0, 1]: " + previous);
        if (!(current >= 0 && current <= 1)) throw new IllegalArgumentException("p-value must be in [0, 1]: " + current);
        return Math.min(previous, current);
    }

    /** The always-valid (1 − α) confidence interval for θ at this look, {θ : Λ(θ) &lt; 1/α}. */
    public static Interval confidenceInterval(double thetaHat, double variance, double tauSquared, double alpha) {
        check(thetaHat, variance, tauSquared);
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
        double r = tauSquared / variance;
        double halfWidth = Math.sqrt(variance * (1 + r) / r * (Math.log1p(r) - 2 * Math.log(alpha)));
        return new Interval(thetaHat - halfWidth, thetaHat + halfWidth);
    }

    private static void check(double thetaHat, double variance, double tauSquared) {
        if (!Double.isFinite(thetaHat)) throw new IllegalArgumentException("estimate must be finite: " + thetaHat);
        if (!(variance > 0 && Double.isFinite(variance))) throw new IllegalArgumentException("variance must be positive: " + variance);
        if (!(tauSquared > 0 && Double.isFinite(tauSquared))) throw new IllegalArgumentException("tau² must be positive: " + tauSquared);
    }
}
