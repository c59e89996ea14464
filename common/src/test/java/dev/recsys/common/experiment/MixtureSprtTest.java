package dev.recsys.common.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MixtureSprtTest {

    /*
     * Published reference: GrowthBook's stats engine (gbstats), github.com/growthbook/growthbook,
     * packages/stats at commit 8f1db4456915a8e7b7faf23d5632ca7219d2f469. Its SequentialTwoSidedTTest
     * (gbstats/frequentist/tests.py) is the same normal-mixture test, parameterised per observation:
     * with N the total sample size, s2 = SE²·N and ρ² = (−2 ln α + ln(1 − 2 ln α)) / N_tune
     * (sequential_rho), its e-value exp(ρ²·θ̂²N/SE² / (2(Nρ²+1))) / sqrt(Nρ²+1) and its half-width
     * sqrt(s2 · 2(Nρ²+1)/(N²ρ²) · ln(sqrt(Nρ²+1)/α)) are exactly Λ and the interval of MixtureSprt
     * with V = SE² and τ² = V·N·ρ² (substitute and simplify). So its published results, fed through
     * that substitution, must come out of this class. Its inputs are relative lifts with their
     * delta-method SE; the test rebuilds those inputs as gbstats defines them (frequentist_diff,
     * frequentist_variance with variance_of_ratios and covariance 0).
     */

    private static double growthBookTauSquared(double variance, long n, double tuning, double alpha) {
        double rhoSquared = (-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning;
        return variance * n * rhoSquared;
    }

    /** gbstats' relative lift (mean_b − mean_a)/mean_a and its delta-method variance. */
    private static double[] relativeLift(double meanA, double varA, long nA, double meanB, double varB, long nB) {
        double lift = (meanB - meanA) / Math.abs(meanA);
        double variance = (varB / nB) / (meanA * meanA) + meanB * meanB * (varA / nA) / Math.pow(meanA, 4);
        return new double[] {lift, variance};
    }

    private static double sampleMeanVariance(double sum, double sumSquares, long n) {
        return (sumSquares - sum * sum / n) / (n - 1);
    }

    /**
     * packages/stats/tests/frequentist/test_tests.py, TestSequentialTTest.test_sequential_test_runs:
     * SampleMeanStatistic(sum=1396.87, sum_squares=52377.9767, n=3000) vs (2422.7, 134698.29, 3461),
     * sequential_tuning_parameter=1000 → expected 0.50336, uplift stddev 0.33341,
     * ci (-0.55844, 1.56516), pValue 1 (rounded to 5 decimals). The full-precision estimate and SE of
     * the same two statistics are printed in TestOneSidedGreaterTTest.test_one_sided_ttest:
     * 0.5033610858562358 and 0.3334122146400735.
     */
    @Test
    void growthBookSequentialSampleMeanExample() {
        double[] lift = relativeLift(1396.87 / 3000, sampleMeanVariance(1396.87, 52377.9767, 3000), 3000,
                2422.7 / 3461, sampleMeanVariance(2422.7, 134698.29, 3461), 3461);
        assertThat(lift[0]).isCloseTo(0.5033610858562358, within(1e-15));
        assertThat(Math.sqrt(lift[1])).isCloseTo(0.3334122146400735, within(1e-15));

        double theta = 0.5033610858562358;
        double variance = 0.3334122146400735 * 0.3334122146400735;
        double tauSquared = growthBookTauSquared(variance, 3000 + 3461, 1000, 0.05);
        MixtureSprt.Interval ci = MixtureSprt.confidenceInterval(theta, variance, tauSquared, 0.05);
        assertThat(ci.low()).isCloseTo(-0.55844, within(5e-6));
        assertThat(ci.high()).isCloseTo(1.56516, within(5e-6));
        assertThat(MixtureSprt.pValue(theta, variance, tauSquared)).isEqualTo(1.0);
    }

    /**
     * Same file, test_sequential_test_runs_prop: ProportionStatistic(sum=1396, n=3000) vs
     * (2422, 3461), default tuning 5000 → expected 0.50386, uplift stddev 0.03386,
     * ci (0.40098, 0.60675), pValue 0.0 (rounded to 5 decimals).
     */
    @Test
    void growthBookSequentialProportionExample() {
        double pA = 1396.0 / 3000;
        double pB = 2422.0 / 3461;
        double[] lift = relativeLift(pA, pA * (1 - pA), 3000, pB, pB * (1 - pB), 3461);
        assertThat(lift[0]).isCloseTo(0.50386, within(5e-6));
        assertThat(Math.sqrt(lift[1])).isCloseTo(0.03386, within(5e-6));

        double tauSquared = growthBookTauSquared(lift[1], 3000 + 3461, 5000, 0.05);
        MixtureSprt.Interval ci = MixtureSprt.confidenceInterval(lift[0], lift[1], tauSquared, 0.05);
        assertThat(ci.low()).isCloseTo(0.40098, within(5e-6));
        assertThat(ci.high()).isCloseTo(0.60675, within(5e-6));
        assertThat(MixtureSprt.pValue(lift[0], lift[1], tauSquared)).isLessThan(5e-6);
    }

    /**
     * packages/stats/tests/test_gbstats.py, TestAnalyzeMetricDfSequential: dimension "one" of
     * QUERY_OUTPUT, control "zero" (main_sum 270, main_sum_squares 848.79, n 100) vs "one"
     * (300, 869, 120), count metric, relative, sequential_tuning_parameter=600 → expected
     * -0.074074074, pValue 0.892332229, ci[0] -0.233322085 (rounded to 9 decimals). The one
     * published always-valid p-value that is neither 0 nor 1.
     */
    @Test
    void growthBookSequentialAnalysisExample() {
        double[] lift = relativeLift(2.7, sampleMeanVariance(270, 848.79, 100), 100,
                2.5, sampleMeanVariance(300, 869, 120), 120);
        assertThat(lift[0]).isCloseTo(-0.074074074, within(5e-10));

        double tauSquared = growthBookTauSquared(lift[1], 220, 600, 0.05);
        assertThat(MixtureSprt.pValue(lift[0], lift[1], tauSquared)).isCloseTo(0.892332229, within(5e-10));
        assertThat(MixtureSprt.confidenceInterval(lift[0], lift[1], tauSquared, 0.05).low())
                .isCloseTo(-0.233322085, within(5e-10));
    }

    /**
     * Independent check of the closed form, not from the same formula: integrate the mixture
     * likelihood ratio ∫ φ((θ̂−θ)/√V)/φ(θ̂/√V) · N(θ; 0, τ²) dθ numerically (composite Simpson).
     */
    @ParameterizedTest(name = "θ̂={0} V={1} τ²={2}")
    @CsvSource({
        "0.0, 1e-4, 1e-4",
        "0.01, 1e-4, 1e-4",
        "-0.03, 1e-4, 1e-4",
        "0.03, 5.4e-5, 1e-4",
        "0.002, 4e-6, 1e-4",
        "0.5, 0.1, 2.0",
        "-1.7, 0.25, 0.01",
        "0.05, 1e-3, 1e-1",
    })
    void closedFormEqualsTheMixtureIntegral(double thetaHat, double variance, double tauSquared) {
        NormalDistribution prior = NormalDistribution.of(0, Math.sqrt(tauSquared));
        double spread = 12 * Math.max(Math.sqrt(tauSquared), Math.sqrt(variance));
        double from = Math.min(-spread, thetaHat - spread);
        double to = Math.max(spread, thetaHat + spread);
        int steps = 200_000;
        double h = (to - from) / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double theta = from + i * h;
            double likelihoodRatio = Math.exp((2 * thetaHat * theta - theta * theta) / (2 * variance));
            double weight = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2;
            sum += weight * likelihoodRatio * prior.density(theta);
        }
        double integral = sum * h / 3;
        double closedForm = Math.exp(MixtureSprt.logLikelihoodRatio(thetaHat, variance, tauSquared));
        assertThat(closedForm).isCloseTo(integral, within(1e-9 * integral));
    }

    /** The interval is the set of θ₀ the test does not reject: its ends have Λ(θ₀) = 1/α exactly. */
    @Property(tries = 300)
    void intervalInvertsTheTest(
            @ForAll @DoubleRange(min = -0.2, max = 0.2) double thetaHat,
            @ForAll @DoubleRange(min = -7, max = -2) double log10Variance,
            @ForAll @DoubleRange(min = -6, max = -1) double log10TauSquared,
            @ForAll @DoubleRange(min = 0.001, max = 0.5) @Scale(4) double alpha) {
        double variance = Math.pow(10, log10Variance);
        double tauSquared = Math.pow(10, log10TauSquared);
        MixtureSprt.Interval ci = MixtureSprt.confidenceInterval(thetaHat, variance, tauSquared, alpha);
        double atLow = MixtureSprt.logLikelihoodRatio(thetaHat - ci.low(), variance, tauSquared);
        double atHigh = MixtureSprt.logLikelihoodRatio(thetaHat - ci.high(), variance, tauSquared);
        assertThat(atLow).isCloseTo(-Math.log(alpha), within(1e-8 * (1 - Math.log(alpha))));
        assertThat(atHigh).isCloseTo(-Math.log(alpha), within(1e-8 * (1 - Math.log(alpha))));
        double p = MixtureSprt.pValue(thetaHat, variance, tauSquared);
        boolean excludesZero = ci.low() > 0 || ci.high() < 0;
        if (Math.abs(p - alpha) > 1e-9) assertThat(excludesZero).isEqualTo(p < alpha);
    }

    @Test
    void noEffectIsNoEvidence() {
        // θ̂ = 0: Λ = sqrt(V/(V+τ²)) < 1, so p = 1.
        assertThat(MixtureSprt.pValue(0, 1e-4, 1e-4)).isEqualTo(1.0);
        assertThat(MixtureSprt.logLikelihoodRatio(0, 1e-4, 1e-4)).isCloseTo(-0.5 * Math.log(2), within(1e-15));
    }

    @Test
    void overwhelmingEvidenceUnderflowsToZeroWithoutOverflow() {
        assertThat(MixtureSprt.logLikelihoodRatio(0.5, 1e-12, 1e-4))
                .isCloseTo(1.25e11 * (1e8 / (1e8 + 1)) - 0.5 * Math.log1p(1e8), within(1e-3));
        assertThat(MixtureSprt.pValue(0.5, 1e-12, 1e-4)).isZero();
    }

    @Test
    void runningPValueIsTheMinimumOverLooks() {
        double p = MixtureSprt.FIRST_LOOK;
        for (double look : new double[] {0.8, 0.3, 0.6, 0.04, 1.0}) p = MixtureSprt.runningPValue(p, look);
        assertThat(p).isEqualTo(0.04);
        assertThatThrownBy(() -> MixtureSprt.runningPValue(Double.NaN, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MixtureSprt.runningPValue(1.5, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMeaninglessInputs() {
        assertThatThrownBy(() -> MixtureSprt.pValue(0.1, 0, 1e-4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MixtureSprt.pValue(0.1, 1e-4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MixtureSprt.pValue(Double.NaN, 1e-4, 1e-4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MixtureSprt.confidenceInterval(0.1, 1e-4, 1e-4, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
