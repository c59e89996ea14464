package dev.recsys.common.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.experiment.Verdict.Winner;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.PoissonDistribution;
import org.junit.jupiter.api.Test;

/**
 * The "look every hour" scenario, simulated: users arrive one by one, each randomised to an arm by
 * a fair coin, and after every {@value #LOOK_EVERY} users the job looks at the results and acts on
 * the first winner. Users are heterogeneous the way recommendation traffic is: the number of answers
 * a user sees is Poisson with a Gamma-distributed mean (many light users, a few heavy ones) and
 * each user has their own click and conversion propensities (Beta), so one user's exposures are
 * correlated and the exposure is not the independent unit.
 *
 * <p>Everything is seeded (SplittableRandom and the commons-statistics samplers are specified
 * algorithms), so each test measures the same numbers on every run: no flakiness, and a change in
 * behaviour shows up as a changed number.
 */
class AlwaysValidSimulationTest {

    private static final int AA_RUNS = 500;
    /** Users per A/A experiment (both arms), so 100 looks per experiment. */
    private static final int AA_USERS = 5000;
    /** The planned horizon of the A/B experiments with a real effect. */
    private static final int AB_USERS = 8000;
    private static final int LOOK_EVERY = 50;
    private static final double ALPHA = 0.05;
    /** Lets the rule act from about the 4th look (100 users per arm), so the early, noisy peeks count too. */
    private static final DecisionConfig EARLY = new DecisionConfig(ALPHA, 0.01, 0.002, 100, 300);
    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    /**
     * A population: 1 + Poisson(λ) exposures per user with λ ~ Gamma(shape 0.6, scale 5) (mean 4,
     * a long tail), click propensity Beta(6m, 6(1−m)) with mean m = {@code meanCtr}, and each click
     * converting with a per-user Beta(1, 4) probability (mean 20%, so about 2% per exposure).
     */
    private record Population(double meanCtr) {
    }

    private static final class Arm {
        private final UniformRandomProvider rng;
        private final ContinuousDistribution.Sampler activity;
        private final ContinuousDistribution.Sampler propensity;
        private final ContinuousDistribution.Sampler conversion;
        ArmTotals totals = ArmTotals.EMPTY;

        Arm(Population population, UniformRandomProvider rng) {
            this.rng = rng;
            this.activity = GammaDistribution.of(0.6, 5).createSampler(rng);
            this.propensity = BetaDistribution.of(6 * population.meanCtr(), 6 * (1 - population.meanCtr())).createSampler(rng);
            this.conversion = BetaDistribution.of(1, 4).createSampler(rng);
        }

        void addUser() {
            int x = 1 + PoissonDistribution.of(activity.sample()).createSampler(rng).sample();
            double p = propensity.sample();
            int y = 0;
            for (int i = 0; i < x; i++) if (rng.nextDouble() < p) y++;
            int z = 0;
            if (y > 0) {
                double q = conversion.sample();
                for (int i = 0; i < y; i++) if (rng.nextDouble() < q) z++;
            }
            totals = totals.plusUser(x, y, z);
        }
    }

    /** One way of watching an experiment: a metric and a rule, applied at every look. */
    private static final class Monitor {
        final Metric metric;
        final DecisionConfig config;
        double runningP = MixtureSprt.FIRST_LOOK;
        Winner alwaysValid = Winner.NONE;
        int stoppedAt = -1;
        Winner naive = Winner.NONE;

        Monitor(Metric metric, DecisionConfig config) {
            this.metric = metric;
            this.config = config;
        }

        void look(ArmTotals control, ArmTotals treatment, int user) {
            Verdict verdict = Verdict.decide(metric, control, treatment, config, runningP);
            Comparison cmp = verdict.comparison();
            runningP = cmp.runningPValue();
            if (alwaysValid == Winner.NONE && verdict.winner() != Winner.NONE) {
                alwaysValid = verdict.winner();
                stoppedAt = user;
            }
            if (naive == Winner.NONE && verdict.minimumSampleReached() && cmp.status() == Comparison.Status.OK) {
                // The fixed-horizon z-test on the same estimate and the same (correct, clustered) variance,
                // peeked at the same looks: only the peeking is wrong with it.
                double z = cmp.difference() / cmp.differenceStandardError();
                if (2 * NORMAL.survivalProbability(Math.abs(z)) < config.alpha()) {
                    naive = cmp.difference() > 0 ? Winner.TREATMENT : Winner.CONTROL;
                }
            }
        }
    }

    /** Simulates one experiment of {@code users} users; stops early once every monitor has a winner if asked. */
    private static Arm[] simulate(long seed, int users, Population control, Population treatment,
                                  boolean stopWhenDecided, List<Monitor> monitors) {
        SplittableRandom random = new SplittableRandom(seed);
        UniformRandomProvider rng = random::nextLong;
        Arm c = new Arm(control, rng);
        Arm t = new Arm(treatment, rng);
        for (int user = 1; user <= users; user++) {
            (rng.nextBoolean() ? t : c).addUser();
            if (user % LOOK_EVERY != 0) continue;
            for (Monitor m : monitors) m.look(c.totals, t.totals, user);
            if (stopWhenDecided && monitors.stream().allMatch(m -> m.alwaysValid != Winner.NONE)) break;
        }
        return new Arm[] {c, t};
    }

    @Test
    void aaExperimentsLookedAtEveryFiftyUsersRarelyNameAWinnerButPeekedZTestsDo() {
        Population same = new Population(0.10);
        int[] alwaysValid = new int[3];
        int[] naive = new int[3];
        double designEffect = 0;
        for (int r = 0; r < AA_RUNS; r++) {
            List<Monitor> monitors = List.of(
                    new Monitor(Metric.CTR, EARLY),
                    new Monitor(Metric.CTR, DecisionConfig.DEFAULTS),
                    new Monitor(Metric.CONVERSION_RATE, EARLY));
            Arm[] arms = simulate(1_000 + r, AA_USERS, same, same, false, monitors);
            for (int i = 0; i < 3; i++) {
                if (monitors.get(i).alwaysValid != Winner.NONE) alwaysValid[i]++;
                if (monitors.get(i).naive != Winner.NONE) naive[i]++;
            }
            // How much larger the user-clustered standard error is than the per-exposure binomial one.
            RatioEstimate ctr = arms[0].totals.ctr();
            designEffect += ctr.standardError() / Math.sqrt(ctr.estimate() * (1 - ctr.estimate()) / arms[0].totals.exposures());
        }
        double[] alwaysValidRate = Arrays.stream(alwaysValid).mapToDouble(k -> (double) k / AA_RUNS).toArray();
        double[] naiveRate = Arrays.stream(naive).mapToDouble(k -> (double) k / AA_RUNS).toArray();
        designEffect /= AA_RUNS;
        System.out.printf("A/A, %d experiments of %d users, a look every %d users, alpha %.2f%n", AA_RUNS, AA_USERS, LOOK_EVERY, ALPHA);
        String[] names = {"CTR, min 100 users/arm", "CTR, defaults (min 1000 users/arm)", "conversion rate, min 100 users/arm"};
        for (int i = 0; i < 3; i++) {
            System.out.printf("  %-36s always-valid false winners %.3f, peeked z-test %.3f%n", names[i], alwaysValidRate[i], naiveRate[i]);
        }
        System.out.printf("  clustered / binomial CTR standard error: %.2f%n", designEffect);

        for (int i = 0; i < 3; i++) assertThat(alwaysValidRate[i]).as(names[i]).isLessThanOrEqualTo(ALPHA);
        // The point of the method: the same looks with a fixed-horizon test name false winners far more often.
        assertThat(naiveRate[0]).isGreaterThan(4 * ALPHA);
        assertThat(naiveRate[1]).isGreaterThan(2 * ALPHA);
        assertThat(naiveRate[2]).isGreaterThan(4 * ALPHA);
        // Users are heterogeneous enough that clustering matters: the per-exposure binomial SE is too small.
        assertThat(designEffect).isGreaterThan(1.3);
    }

    @Test
    void aRealCtrLiftIsFoundForTheRightArmWellBeforeTheEnd() {
        int runs = 100;
        int treatmentWins = 0;
        int controlWins = 0;
        int[] stops = new int[runs];
        for (int r = 0; r < runs; r++) {
            Monitor m = new Monitor(Metric.CTR, DecisionConfig.DEFAULTS);
            simulate(9_000 + r, AB_USERS, new Population(0.10), new Population(0.13), true, List.of(m));
            if (m.alwaysValid == Winner.TREATMENT) treatmentWins++;
            if (m.alwaysValid == Winner.CONTROL) controlWins++;
            stops[r] = m.alwaysValid == Winner.NONE ? AB_USERS : m.stoppedAt;
        }
        Arrays.sort(stops);
        int median = stops[runs / 2];
        System.out.printf("A/B CTR 0.10 vs 0.13, defaults: treatment wins %d/%d, control wins %d, median decision at user %d of %d%n",
                treatmentWins, runs, controlWins, median, AB_USERS);
        assertThat(controlWins).isZero();
        assertThat(treatmentWins).isGreaterThanOrEqualTo(95);
        assertThat(median).isLessThanOrEqualTo(AB_USERS / 2);
    }
}
