package dev.recsys.common.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.experiment.ResultsCalculator.Arm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsCalculatorTest {

    static final DecisionConfig CONFIG = new DecisionConfig(0.05, 0.01, 0.002, 100, 100);

    static ArmTotals arm(int users, int clicksEvery) {
        ArmTotals t = ArmTotals.EMPTY;
        for (int u = 0; u < users; u++) t = t.plusUser(4, u % clicksEvery == 0 ? 1 : 0, 0);
        return t;
    }

    @Test
    void eachRouteComparesItsArmsWithItsControlAndCarriesTheRunningPValue() {
        Map<Arm, ArmTotals> totals = new HashMap<>();
        Arm a = new Arm("e", "/r", "a"), b = new Arm("e", "/r", "b"), only = new Arm("e", "/s", "similar");
        totals.put(a, arm(400, 2));
        totals.put(b, arm(400, 5));
        totals.put(only, arm(50, 3));
        ResultsCalculator calc = new ResultsCalculator(CONFIG, "b");
        List<ArmResult> first = calc.look(totals, Map.of(), 1_000);
        Map<Arm, ArmResult> byArm = new HashMap<>();
        first.forEach(r -> byArm.put(new Arm(r.experiment(), r.route(), r.variant()), r));

        assertThat(byArm.get(b).control()).isTrue();
        assertThat(byArm.get(b).ctrVerdict()).isNull();
        assertThat(byArm.get(a).control()).isFalse();
        assertThat(byArm.get(a).ctrVerdict().winner()).isEqualTo(Verdict.Winner.TREATMENT);
        assertThat(byArm.get(only).control()).as("a single-arm route is its own control").isTrue();
        assertThat(byArm.get(only).ctrVerdict()).isNull();
        assertThat(first).allSatisfy(r -> assertThat(r.looks()).isEqualTo(1));

        // Next look: the evidence weakens (arms now equal), but the always-valid p-value never rises.
        totals.put(a, arm(400, 5));
        List<ArmResult> second = calc.look(totals, byArm, 2_000);
        ArmResult a2 = second.stream().filter(r -> r.variant().equals("a")).findFirst().orElseThrow();
        assertThat(a2.looks()).isEqualTo(2);
        assertThat(a2.ctrVerdict().comparison().pValue()).isEqualTo(1.0);
        assertThat(a2.ctrVerdict().comparison().runningPValue())
                .isEqualTo(byArm.get(a).ctrVerdict().comparison().runningPValue()).isLessThan(0.05);
    }

    @Test
    void withoutAConfiguredControlTheFirstVariantByNameIsIt() {
        Map<Arm, ArmTotals> totals = Map.of(new Arm("e", "/r", "z"), arm(10, 2), new Arm("e", "/r", "m"), arm(10, 2));
        List<ArmResult> r = new ResultsCalculator(CONFIG, null).look(totals, Map.of(), 0);
        assertThat(r).filteredOn(ArmResult::control).extracting(ArmResult::variant).containsExactly("m");
    }
}
