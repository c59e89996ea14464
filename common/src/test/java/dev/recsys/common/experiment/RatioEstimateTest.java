package dev.recsys.common.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recsys.common.experiment.RatioEstimate.Status;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RatioEstimateTest {

    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    /**
     * Published reference for the user-clustered delta method: the R package deltatest (Makiyama,
     * CRAN; an implementation of Deng, Knoblich and Lu 2018), github.com/hoxo-m/deltatest at commit
     * 6661c2be71d2c7721c90cd33f3cf7ee058f96f07, tests/testthat/test-deltatest.R, {@code expected_result}
     * of "standard formula works": {@code deltatest(df, click / pageview ~ group)} on
     * {@code set.seed(314); generate_dummy_data(100)} aggregated per user and group.
     *
     * <p>The per-user rows below are that fixture, regenerated with R 4.2.2 from the package's
     * R/generate_dummy_data.R at the same commit (group 0 is control, 1 treatment; user order
     * within a group is irrelevant to every sum). Printed outputs: mean in control 0.2349602724,
     * mean in treatment 0.1884057971, difference -0.0465544753, stderr 0.037496579,
     * conf.int (-0.12004642, 0.02693747), statistic Z = -1.24156594, p.value 0.214396755.
     * deltatest uses R's var/cov (denominator n − 1), the same choice as {@link RatioEstimate}.
     */
    @Test
    void reproducesDeltatestPublishedExample() {
        long[] controlClicks = {5, 6, 2, 2, 5, 6, 4, 4, 0, 6, 5, 2, 7, 3, 6, 5, 0, 7, 1, 1, 3, 0, 13, 2, 0, 8, 6, 4,
            5, 0, 2, 10, 11, 2, 2, 1, 0, 4, 2, 0, 6, 1, 5, 5, 1, 7, 2, 5, 4, 1, 7, 3, 1, 3, 3, 1};
        long[] controlViews = {12, 21, 8, 13, 15, 17, 15, 10, 11, 23, 19, 5, 11, 17, 17, 13, 18, 21, 7, 13, 13, 7, 25,
            17, 14, 21, 22, 21, 13, 15, 8, 16, 21, 20, 14, 12, 22, 11, 9, 7, 24, 36, 19, 15, 14, 27, 8, 20, 10, 8,
            27, 13, 10, 17, 25, 14};
        long[] treatmentClicks = {1, 2, 0, 1, 2, 10, 5, 0, 1, 3, 0, 1, 0, 2, 0, 4, 3, 2, 2, 6, 2, 1, 3, 13, 4, 2, 2,
            1, 1, 0, 0, 0, 0, 0, 3, 0, 11, 4, 2, 3, 0, 6, 9, 5};
        long[] treatmentViews = {7, 17, 13, 17, 16, 20, 14, 9, 2, 22, 15, 5, 13, 18, 29, 15, 20, 19, 13, 21, 9, 10,
            15, 23, 9, 11, 8, 14, 9, 16, 3, 15, 3, 7, 23, 15, 28, 4, 6, 15, 24, 19, 16, 14};
        ArmTotals control = arm(controlViews, controlClicks);
        ArmTotals treatment = arm(treatmentViews, treatmentClicks);
        assertThat(control.users()).isEqualTo(56);
        assertThat(treatment.users()).isEqualTo(44);

        RatioEstimate c = control.ctr();
        RatioEstimate t = treatment.ctr();
        assertThat(c.status()).isEqualTo(Status.OK);
        assertThat(c.estimate()).isCloseTo(0.2349602724, within(5e-11));
        assertThat(t.estimate()).isCloseTo(0.1884057971, within(5e-11));

        Comparison cmp = Comparison.of(Metric.CTR, control, treatment, 0.01, 0.05, MixtureSprt.FIRST_LOOK);
        assertThat(cmp.difference()).isCloseTo(-0.0465544753, within(5e-11));
        assertThat(cmp.differenceStandardError()).isCloseTo(0.037496579, within(5e-10));

        // deltatest's fixed-horizon z-test from the same two numbers.
        double z = cmp.difference() / cmp.differenceStandardError();
        assertThat(z).isCloseTo(-1.24156594, within(5e-9));
        assertThat(2 * NORMAL.cumulativeProbability(-Math.abs(z))).isCloseTo(0.214396755, within(5e-10));
        assertThat(cmp.difference() - RatioEstimate.Z_95 * cmp.differenceStandardError()).isCloseTo(-0.12004642, within(5e-9));
        assertThat(cmp.difference() + RatioEstimate.Z_95 * cmp.differenceStandardError()).isCloseTo(0.02693747, within(5e-9));
    }

    /**
     * With one exposure per user the ratio is a Bernoulli mean and the delta method must reduce to
     * the textbook Wald standard error. Published Wald ("asymptotic") intervals: R package binom,
     * {@code binom.confint(x, n, tol = 1e-8)}, as recorded in statsmodels
     * statsmodels/stats/tests/results/results_proportion.py ({@code res_binom[(x, n)]}, index 1 of
     * {@code ci_low}/{@code ci_upp}). Wald uses p(1−p)/n; this class uses the n − 1 sample variance,
     * so its half-width is the published one times sqrt(n/(n−1)).
     */
    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource({
        // x, n, published low, published high, tolerance from the printed digits
        "18, 20, 0.768521618913513, 1.031478381086487, 1e-14",
        "4, 20, 0.0246954918846837, 0.3753045081153163, 1e-14",
        "4, 200, 0.000597346459104517, 0.0394026535408955, 1e-14",
        "190, 200, 0.919794926420966, 0.980205073579034, 1e-14",
        "1, 30, -3.090070e-02, 0.09756737, 1e-8",
        "29, 30, 0.9024326, 1.0309007, 1e-7",
    })
    void bernoulliCaseIsTheWaldInterval(int successes, int n, double waldLow, double waldHigh, double printed) {
        ArmTotals arm = ArmTotals.EMPTY;
        for (int i = 0; i < n; i++) arm = arm.plusUser(1, i < successes ? 1 : 0, 0);
        RatioEstimate r = arm.ctr();

        assertThat(r.estimate()).isCloseTo((waldLow + waldHigh) / 2, within(printed));
        double waldHalfWidth = (waldHigh - waldLow) / 2;
        double halfWidth = (r.ciHigh() - r.ciLow()) / 2;
        assertThat(halfWidth * Math.sqrt((n - 1.0) / n)).isCloseTo(waldHalfWidth, within(printed));
        assertThat(r.standardError()).isCloseTo(Math.sqrt(r.estimate() * (1 - r.estimate()) / (n - 1)), within(1e-15));
    }

    /** Against a direct two-pass evaluation of Deng et al.'s formula on the per-user values. */
    @Property(tries = 300)
    void matchesTheDeltaMethodFormulaComputedFromUsers(
            @ForAll @Size(min = 2, max = 60) List<@IntRange(min = 0, max = 50) Integer> exposures,
            @ForAll @Size(min = 2, max = 60) List<@IntRange(min = 0, max = 50) Integer> clicks) {
        int n = Math.min(exposures.size(), clicks.size());
        ArmTotals arm = ArmTotals.EMPTY;
        List<double[]> users = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            arm = arm.plusUser(exposures.get(i), clicks.get(i), 0);
            users.add(new double[] {exposures.get(i), clicks.get(i)});
        }
        RatioEstimate r = arm.ctr();
        double mx = users.stream().mapToDouble(u -> u[0]).average().orElseThrow();
        double my = users.stream().mapToDouble(u -> u[1]).average().orElseThrow();
        double sxx = users.stream().mapToDouble(u -> (u[0] - mx) * (u[0] - mx)).sum() / (n - 1);
        double syy = users.stream().mapToDouble(u -> (u[1] - my) * (u[1] - my)).sum() / (n - 1);
        double sxy = users.stream().mapToDouble(u -> (u[0] - mx) * (u[1] - my)).sum() / (n - 1);
        double variance = (syy / (mx * mx) - 2 * my * sxy / (mx * mx * mx) + my * my * sxx / (mx * mx * mx * mx)) / n;
        if (arm.exposures() == 0) {
            assertThat(r.status()).isEqualTo(Status.NO_EXPOSURES);
        } else if (r.status() == Status.ZERO_VARIANCE) {
            assertThat(variance).isCloseTo(0, within(1e-12));
        } else {
            assertThat(r.status()).isEqualTo(Status.OK);
            assertThat(r.estimate()).isCloseTo(my / mx, within(1e-12));
            assertThat(r.standardError()).isCloseTo(Math.sqrt(variance), within(1e-9 * Math.sqrt(variance) + 1e-15));
        }
    }

    @Test
    void emptyArmHasNoStandardError() {
        RatioEstimate r = ArmTotals.EMPTY.ctr();
        assertThat(r).isEqualTo(new RatioEstimate(Status.TOO_FEW_USERS, 0, 0, 0, 0, 0));
        assertThat(r.hasStandardError()).isFalse();
    }

    @Test
    void oneUserHasAnEstimateButNoStandardError() {
        RatioEstimate r = ArmTotals.EMPTY.plusUser(10, 2, 1).ctr();
        assertThat(r.status()).isEqualTo(Status.TOO_FEW_USERS);
        assertThat(r.estimate()).isEqualTo(0.2);
        assertThat(r.standardError()).isZero();
        assertThat(r.ciLow()).isEqualTo(0.2);
        assertThat(r.ciHigh()).isEqualTo(0.2);
    }

    @Test
    void zeroExposuresIsNotARatio() {
        RatioEstimate r = ArmTotals.EMPTY.plusUser(0, 0, 0).plusUser(0, 0, 0).ctr();
        assertThat(r).isEqualTo(new RatioEstimate(Status.NO_EXPOSURES, 2, 0, 0, 0, 0));
    }

    @Test
    void noClicksOrIdenticalRatiosHaveZeroVariance() {
        RatioEstimate none = ArmTotals.EMPTY.plusUser(5, 0, 0).plusUser(9, 0, 0).ctr();
        assertThat(none.status()).isEqualTo(Status.ZERO_VARIANCE);
        assertThat(none.estimate()).isZero();
        // Every user clicks exactly a quarter of what they see: the ratio is known without error.
        RatioEstimate same = ArmTotals.EMPTY.plusUser(4, 1, 0).plusUser(8, 2, 0).plusUser(400, 100, 0).ctr();
        assertThat(same.status()).isEqualTo(Status.ZERO_VARIANCE);
        assertThat(same.estimate()).isEqualTo(0.25);
    }

    @Test
    void neverLeaksNaN() {
        for (RatioEstimate r : List.of(ArmTotals.EMPTY.ctr(), ArmTotals.EMPTY.plusUser(0, 0, 0).conversionRate(),
                ArmTotals.EMPTY.plusUser(3, 0, 0).plusUser(3, 0, 0).ctr())) {
            assertThat(new double[] {r.estimate(), r.standardError(), r.ciLow(), r.ciHigh()}).doesNotContain(Double.NaN);
        }
    }

    /**
     * Sums near 2⁶³: the exact integer numerator avoids the cancellation that a double
     * Σy² − (Σy)²/n would suffer. Two kinds of users, h heavy (x = 10⁶, y = a) and h light
     * (x = 10⁶, y = b): the variance is known in closed form, n/(n−1)·h(a−r·10⁶)²·2/(Σx)².
     */
    @Test
    void hugeCountsKeepFullPrecision() {
        long h = 4_000_000L;
        long x = 1_000_000L;
        long a = 100_001;
        long b = 99_999;
        ArmTotals heavy = ArmTotals.EMPTY.plusUser(x, a, 0);
        ArmTotals light = ArmTotals.EMPTY.plusUser(x, b, 0);
        ArmTotals arm = times(heavy, h).plus(times(light, h));
        assertThat(arm.exposuresSquared()).isEqualTo(8_000_000_000_000_000_000L);
        RatioEstimate r = arm.ctr();
        long n = 2 * h;
        double ratio = 0.1;
        double residual = a - ratio * x; // = 1
        double expectedVariance = (double) n / (n - 1) * (2.0 * h * residual * residual) / Math.pow((double) n * x, 2);
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.estimate()).isEqualTo(ratio);
        assertThat(r.standardError()).isCloseTo(Math.sqrt(expectedVariance), within(1e-12 * Math.sqrt(expectedVariance)));
    }

    private static ArmTotals times(ArmTotals oneUser, long k) {
        return new ArmTotals(oneUser.users() * k, oneUser.exposures() * k, oneUser.clicks() * k, oneUser.conversions() * k,
                oneUser.exposuresSquared() * k, oneUser.clicksSquared() * k, oneUser.conversionsSquared() * k,
                oneUser.exposuresTimesClicks() * k, oneUser.exposuresTimesConversions() * k);
    }

    private static ArmTotals arm(long[] views, long[] clicks) {
        ArmTotals arm = ArmTotals.EMPTY;
        for (int i = 0; i < views.length; i++) arm = arm.plusUser(views[i], clicks[i], 0);
        return arm;
    }
}
