package dev.recsys.common.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.experiment.Verdict.Winner;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static final DecisionConfig SMALL = new DecisionConfig(0.05, 0.01, 0.002, 2, 1);

    /** {@code users} users, each seeing {@code x} answers; a fraction {@code ctr} of the users clicks every one. */
    private static ArmTotals arm(int users, int x, double ctr) {
        ArmTotals arm = ArmTotals.EMPTY;
        int clickers = (int) Math.round(users * ctr);
        for (int u = 0; u < users; u++) {
            boolean clicks = u < clickers;
            arm = arm.plusUser(x, clicks ? x : 0, clicks && u % 4 == 0 ? 1 : 0);
        }
        return arm;
    }

    @Test
    void emptyArmsBringNoEvidenceAndKeepThePreviousPValue() {
        Verdict v = Verdict.decide(Metric.CTR, ArmTotals.EMPTY, ArmTotals.EMPTY, DecisionConfig.DEFAULTS, 0.2);
        assertThat(v.winner()).isEqualTo(Winner.NONE);
        assertThat(v.significant()).isFalse();
        assertThat(v.minimumSampleReached()).isFalse();
        Comparison c = v.comparison();
        assertThat(c.status()).isEqualTo(Comparison.Status.NOT_ENOUGH_DATA);
        assertThat(c.pValue()).isEqualTo(1.0);
        assertThat(c.runningPValue()).isEqualTo(0.2);
        assertThat(new double[] {c.difference(), c.differenceStandardError(), c.relativeLift(), c.ciLow(), c.ciHigh()})
                .containsOnly(0.0);
    }

    @Test
    void oneUserOrNoExposuresOnOneSideIsNotEnoughData() {
        ArmTotals big = arm(2000, 5, 0.1);
        ArmTotals oneUser = ArmTotals.EMPTY.plusUser(5, 1, 0);
        ArmTotals unexposed = ArmTotals.EMPTY.plusUser(0, 0, 0).plusUser(0, 0, 0);
        for (ArmTotals small : new ArmTotals[] {oneUser, unexposed}) {
            Comparison c = Comparison.of(Metric.CTR, big, small, 0.01, 0.05, MixtureSprt.FIRST_LOOK);
            assertThat(c.status()).isEqualTo(Comparison.Status.NOT_ENOUGH_DATA);
            assertThat(c.runningPValue()).isEqualTo(1.0);
        }
    }

    @Test
    void identicalArmsAreNoEvidence() {
        ArmTotals a = arm(5000, 4, 0.1);
        Verdict v = Verdict.decide(Metric.CTR, a, a, DecisionConfig.DEFAULTS, MixtureSprt.FIRST_LOOK);
        assertThat(v.minimumSampleReached()).isTrue();
        assertThat(v.comparison().difference()).isZero();
        assertThat(v.comparison().relativeLift()).isZero();
        assertThat(v.comparison().pValue()).isEqualTo(1.0);
        assertThat(v.comparison().ciLow()).isNegative();
        assertThat(v.comparison().ciHigh()).isEqualTo(-v.comparison().ciLow());
        assertThat(v.winner()).isEqualTo(Winner.NONE);
    }

    @Test
    void aClearLiftNamesTheRightArmEitherWayRound() {
        ArmTotals low = arm(5000, 4, 0.10);
        ArmTotals high = arm(5000, 4, 0.13);
        Verdict up = Verdict.decide(Metric.CTR, low, high, DecisionConfig.DEFAULTS, MixtureSprt.FIRST_LOOK);
        assertThat(up.winner()).isEqualTo(Winner.TREATMENT);
        assertThat(up.comparison().difference()).isCloseTo(0.03, within(1e-12));
        assertThat(up.comparison().relativeLift()).isCloseTo(0.3, within(1e-12));
        assertThat(up.comparison().ciLow()).isPositive();
        Verdict down = Verdict.decide(Metric.CTR, high, low, DecisionConfig.DEFAULTS, MixtureSprt.FIRST_LOOK);
        assertThat(down.winner()).isEqualTo(Winner.CONTROL);
        assertThat(down.comparison().ciHigh()).isNegative();
    }

    @Test
    void noWinnerBeforeTheMinimumSampleEvenWithASmallPValue() {
        ArmTotals low = arm(900, 10, 0.10);
        ArmTotals high = arm(900, 10, 0.30);
        Verdict v = Verdict.decide(Metric.CTR, low, high, DecisionConfig.DEFAULTS, MixtureSprt.FIRST_LOOK);
        assertThat(v.comparison().runningPValue()).isLessThan(0.001);
        assertThat(v.minimumSampleReached()).isFalse();
        assertThat(v.winner()).isEqualTo(Winner.NONE);
        // Exposures count too: 1000 users with 4 exposures each are 4000 < 5000.
        Verdict fewExposures = Verdict.decide(Metric.CTR, arm(1000, 4, 0.1), arm(1000, 4, 0.3), DecisionConfig.DEFAULTS, 1.0);
        assertThat(fewExposures.minimumSampleReached()).isFalse();
        assertThat(fewExposures.winner()).isEqualTo(Winner.NONE);
    }

    @Test
    void anEarlierSmallPValueStillCountsOnceTheSampleIsReached() {
        ArmTotals a = arm(5000, 4, 0.1);
        Verdict v = Verdict.decide(Metric.CTR, a, arm(5000, 4, 0.101), DecisionConfig.DEFAULTS, 0.01);
        assertThat(v.comparison().pValue()).isGreaterThan(0.05);
        assertThat(v.comparison().runningPValue()).isEqualTo(0.01);
        assertThat(v.winner()).isEqualTo(Winner.TREATMENT);
    }

    @Test
    void conversionRateUsesItsOwnSumsAndTau() {
        ArmTotals control = arm(4000, 4, 0.10);
        ArmTotals treatment = arm(4000, 4, 0.13);
        Verdict v = Verdict.decide(Metric.CONVERSION_RATE, control, treatment, SMALL, MixtureSprt.FIRST_LOOK);
        assertThat(v.comparison().control().estimate())
                .isEqualTo((double) control.conversions() / control.exposures());
        double tau = SMALL.tau(Metric.CONVERSION_RATE);
        Comparison direct = Comparison.of(Metric.CONVERSION_RATE, control, treatment, tau, 0.05, 1.0);
        assertThat(v.comparison()).isEqualTo(direct);
    }

    @Test
    void hugeArmsStayFinite() {
        ArmTotals oneHeavy = ArmTotals.EMPTY.plusUser(1_000_000, 100_000, 1_000);
        ArmTotals oneLight = ArmTotals.EMPTY.plusUser(1_000_000, 99_000, 900);
        ArmTotals control = scale(oneHeavy, 2_000_000).plus(scale(oneLight, 2_000_000));
        ArmTotals treatment = scale(oneHeavy, 2_100_000).plus(scale(oneLight, 1_900_000));
        Verdict v = Verdict.decide(Metric.CTR, control, treatment, DecisionConfig.DEFAULTS, 1.0);
        Comparison c = v.comparison();
        assertThat(c.status()).isEqualTo(Comparison.Status.OK);
        assertThat(java.util.stream.DoubleStream.of(c.difference(), c.differenceStandardError(), c.ciLow(), c.ciHigh(), c.pValue()))
                .allMatch(Double::isFinite);
        assertThat(c.pValue()).isZero(); // 4·10⁶ users per arm: a 0.005-point shift is overwhelming evidence
        assertThat(v.winner()).isEqualTo(Winner.TREATMENT);
    }

    @Test
    void configRejectsNonsense() {
        assertThatThrownBy(() -> new DecisionConfig(0, 0.01, 0.002, 1000, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionConfig(0.6, 0.01, 0.002, 1000, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionConfig(Double.NaN, 0.01, 0.002, 1000, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionConfig(0.05, 0, 0.002, 1000, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionConfig(0.05, 1.5, 0.002, 1000, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionConfig(0.05, 0.01, -1, 1000, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionConfig(0.05, 0.01, 0.002, 1, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecisionConfig(0.05, 0.01, 0.002, 1000, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DecisionConfig.DEFAULTS.tau(Metric.CTR)).isEqualTo(0.01);
        assertThat(DecisionConfig.DEFAULTS.tau(Metric.CONVERSION_RATE)).isEqualTo(0.002);
    }

    @Test
    void previousPValueMustBeAProbability() {
        ArmTotals a = arm(100, 4, 0.1);
        assertThatThrownBy(() -> Verdict.decide(Metric.CTR, a, a, SMALL, -0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Verdict.decide(Metric.CTR, a, a, SMALL, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verdictSerialisesAsPlainJsonNumbers() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        for (Verdict v : new Verdict[] {
            Verdict.decide(Metric.CTR, ArmTotals.EMPTY, ArmTotals.EMPTY, DecisionConfig.DEFAULTS, 1.0),
            Verdict.decide(Metric.CTR, arm(5000, 4, 0.10), arm(5000, 4, 0.13), DecisionConfig.DEFAULTS, 1.0)}) {
            String json = mapper.writeValueAsString(v);
            assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
            JsonNode node = mapper.readTree(json);
            assertThat(node.get("comparison").get("running_p_value").isNumber()).isTrue();
            assertThat(node.get("comparison").get("control").get("standard_error").isNumber()).isTrue();
            assertThat(mapper.readValue(json, Verdict.class)).isEqualTo(v);
        }
        assertThat(mapper.readValue(mapper.writeValueAsString(DecisionConfig.DEFAULTS), DecisionConfig.class))
                .isEqualTo(DecisionConfig.DEFAULTS);
    }

    private static ArmTotals scale(ArmTotals oneUser, long k) {
        return new ArmTotals(oneUser.users() * k, oneUser.exposures() * k, oneUser.clicks() * k, oneUser.conversions() * k,
                oneUser.exposuresSquared() * k, oneUser.clicksSquared() * k, oneUser.conversionsSquared() * k,
                oneUser.exposuresTimesClicks() * k, oneUser.exposuresTimesConversions() * k);
    }
}
