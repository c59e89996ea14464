package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.common.event.Exposure;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.ArmTotals;
import dev.recsys.common.experiment.DecisionConfig;
import dev.recsys.common.experiment.ResultsCalculator;
import dev.recsys.training.ExperimentDecision.Decision;
import dev.recsys.training.ExperimentDecision.Policy;
import dev.recsys.training.ExperimentDecision.Results;
import dev.recsys.training.ExperimentDecision.Split;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExperimentDecisionTest {

    static final String ROUTE = Exposure.USER_RECOMMENDATIONS;
    static final String SALT = "recs-ab-1";
    static final long NOW = 1_772_366_400_000L;
    static final Split DEPLOYED = new Split(SALT, SALT, weights("a", 50, "b", 50), null, null);

    private static final ExperimentDecision REPORT = new ExperimentDecision(Policy.REPORT, 25);
    private static final ExperimentDecision PROMOTE = new ExperimentDecision(Policy.PROMOTE, 25);

    /** {@code users} users who each saw {@code perUser} answers, the clicks and conversions spread over them one by one. */
    static ArmTotals arm(long users, long perUser, long clicks, long conversions) {
        ArmTotals t = ArmTotals.EMPTY;
        for (long u = 0; u < users; u++) {
            t = t.plusUser(perUser, clicks / users + (u < clicks % users ? 1 : 0), conversions / users + (u < conversions % users ? 1 : 0));
        }
        return t;
    }

    /** 5000 users, 25 000 exposures: past the default minimum sample. */
    static ArmTotals ctr(double rate) {
        return arm(5000, 5, Math.round(25_000 * rate), 250);
    }

    /** One look of the consumer's calculator, control {@code a}. */
    static List<ArmResult> look(String phase, Map<String, ArmTotals> arms) {
        Map<ResultsCalculator.Arm, ArmTotals> totals = new LinkedHashMap<>();
        arms.forEach((v, t) -> totals.put(new ResultsCalculator.Arm(phase, ROUTE, v), t));
        return new ResultsCalculator(DecisionConfig.DEFAULTS, "a").look(totals, Map.of(), NOW);
    }

    static Results results(String phase, Map<String, ArmTotals> arms) {
        return new Results(look(phase, arms), List.of());
    }

    @Test
    void noSignificantVerdictChangesNothingUnderEitherPolicy() {
        Results r = results(SALT, Map.of("a", ctr(0.05), "b", ctr(0.051)));
        for (ExperimentDecision policy : List.of(REPORT, PROMOTE)) {
            Decision d = policy.decide(DEPLOYED, ROUTE, r);
            assertThat(d.winner()).isNull();
            assertThat(d.changed()).isFalse();
            assertThat(d.after()).isEqualTo(DEPLOYED);
            assertThat(d.summary()).contains("Experiment recs-ab-1 on /users/{userId}/recommendations, split a 50 / b 50 as deployed",
                    "a (control): 5000 users, 25000 exposures, 1250 clicks, CTR 5.00% [", "b: 5000 users, 25000 exposures, 1275 clicks",
                    "CTR lift +2.0%, always-valid p=1.00", "-> not significant", "conversions lift +0.0%",
                    "CTR (primary metric): no winner yet; split unchanged.");
        }
    }

    @Test
    void reportTellsWhoWinsAndChangesNothing() {
        Decision d = REPORT.decide(DEPLOYED, ROUTE, results(SALT, Map.of("a", ctr(0.05), "b", ctr(0.06))));
        assertThat(d.winner()).isEqualTo("b");
        assertThat(d.changed()).isFalse();
        assertThat(d.after()).isEqualTo(DEPLOYED);
        assertThat(d.summary()).contains("b: 5000 users, 25000 exposures, 1500 clicks, CTR 6.00% [", "CTR lift +20.0%, always-valid p=",
                        "difference +1.00 pp, always-valid CI [+0.44, +1.56] pp -> b wins, conversions lift +0.0%",
                        "CTR (primary metric): b wins (b CTR 6.00% vs a 5.00%, lift +20.0%, always-valid p=",
                        "report: b wins; split unchanged.")
                .doesNotContain("promote");
    }

    @Test
    void promoteMovesTheStepToTheWinnerUnderTheSameSaltAndTheNextPhase() {
        Decision d = PROMOTE.decide(DEPLOYED, ROUTE, results(SALT, Map.of("a", ctr(0.05), "b", ctr(0.06))));
        assertThat(d.winner()).isEqualTo("b");
        assertThat(d.changed()).isTrue();
        assertThat(d.after().salt()).isEqualTo(SALT);
        assertThat(d.after().phase()).isEqualTo("recs-ab-1-p2");
        assertThat(d.after().weights()).containsExactly(Map.entry("a", 25), Map.entry("b", 75));
        assertThat(d.summary()).endsWith("promote: a 50\u219225, b 50\u219275, new phase recs-ab-1-p2.");
        // The published reason says what was decided on: phase, look, the numbers.
        assertThat(d.after().reason()).startsWith("b wins on CTR in recs-ab-1 at look 1 (results computed 2026-03-01T12:00:00Z): "
                + "b CTR 6.00% vs a 5.00%, lift +20.0%, always-valid p=").endsWith("5000 vs 5000 users; a 50\u219225, b 50\u219275");

        // The next phase, still won by b: the rest of a's weight moves, phase 3.
        Split p2 = new Split(SALT, "recs-ab-1-p2", d.after().weights(), "2026-03-01T12:00:00Z", d.after().reason());
        Decision again = PROMOTE.decide(p2, ROUTE, results("recs-ab-1-p2", Map.of("a", ctr(0.05), "b", ctr(0.06))));
        assertThat(again.after().weights()).containsExactly(Map.entry("a", 0), Map.entry("b", 100));
        assertThat(again.after().phase()).isEqualTo("recs-ab-1-p3");
        assertThat(again.summary()).startsWith("Experiment recs-ab-1-p2 (salt recs-ab-1) on /users/{userId}/recommendations, "
                + "split a 25 / b 75 published 2026-03-01T12:00:00Z, results look 1 computed 2026-03-01T12:00:00Z: ");
    }

    @Test
    void aWinnerAlreadyAt100StaysAndNothingIsWritten() {
        Split all = new Split(SALT, "recs-ab-1-p3", weights("a", 0, "b", 100), "2026-03-02T00:00:00Z", "earlier");
        Decision d = PROMOTE.decide(all, ROUTE, results("recs-ab-1-p3", Map.of("a", ctr(0.05), "b", ctr(0.06))));
        assertThat(d.winner()).isEqualTo("b");
        assertThat(d.changed()).isFalse();
        assertThat(d.after()).isEqualTo(all);
        assertThat(d.summary()).endsWith("promote: b is already at 100; split unchanged.");
    }

    @Test
    void aTreatmentThatSignificantlyLosesMakesTheControlTheWinner() {
        Decision d = PROMOTE.decide(DEPLOYED, ROUTE, results(SALT, Map.of("a", ctr(0.05), "b", ctr(0.04))));
        assertThat(d.winner()).isEqualTo("a");
        assertThat(d.after().weights()).containsExactly(Map.entry("a", 75), Map.entry("b", 25));
        assertThat(d.summary()).contains("CTR lift -20.0%", "-> a wins", "CTR (primary metric): a wins (b CTR 4.00% vs a 5.00%, lift -20.0%")
                .endsWith("promote: a 50\u219275, b 50\u219225, new phase recs-ab-1-p2.");
    }

    @Test
    void ofSeveralSignificantTreatmentsTheLargestLiftWinsAndTheOthersGiveInProportion() {
        Split three = new Split(SALT, SALT, weights("a", 34, "b", 33, "c", 33), null, null);
        Decision d = PROMOTE.decide(three, ROUTE, results(SALT, Map.of("a", ctr(0.05), "b", ctr(0.06), "c", ctr(0.07))));
        assertThat(d.winner()).isEqualTo("c");
        // 25 points from a (34) and b (33): 12.69 and 12.31, the lost point to the larger remainder (a).
        assertThat(d.after().weights()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 21, "b", 21, "c", 58));
        assertThat(d.summary()).contains("b: ", "-> b wins", "c: ", "-> c wins", "CTR (primary metric): c wins (c CTR 7.00% vs a 5.00%, lift +40.0%");
    }

    @Test
    void belowTheMinimumSampleEvenAStrongEffectChangesNothing() {
        Results small = results(SALT, Map.of("a", arm(500, 5, 125, 25), "b", arm(500, 5, 250, 25)));
        Decision d = PROMOTE.decide(DEPLOYED, ROUTE, small);
        assertThat(d.winner()).isNull();
        assertThat(d.changed()).isFalse();
        assertThat(d.summary()).contains("b: 500 users, 2500 exposures, 250 clicks, CTR 10.00% [", "CTR lift +100.0%",
                "-> minimum sample not reached", "no winner yet; split unchanged.");
    }

    @Test
    void missingOrBrokenRowsStopTheDecision() {
        List<ArmResult> good = look(SALT, Map.of("a", ctr(0.05), "b", ctr(0.06)));
        ArmResult control = good.stream().filter(ArmResult::control).findFirst().orElseThrow();
        ArmResult treatment = good.stream().filter(a -> !a.control()).findFirst().orElseThrow();

        assertThat(PROMOTE.decide(DEPLOYED, ROUTE, new Results(List.of(), List.of())).summary())
                .endsWith("no results yet for this phase. Split unchanged.");
        assertUnchanged(new Results(good, List.of("row /users/{userId}/recommendations|c is not a result (bad JSON)")),
                "no decision, the results are incomplete: row /users/{userId}/recommendations|c is not a result (bad JSON)");
        assertUnchanged(new Results(List.of(treatment), List.of()), "expected one control arm, found 0");
        assertUnchanged(new Results(List.of(control, withVariant(treatment, "z")), List.of()), "variant z has results but is not in the split");
        assertUnchanged(new Results(List.of(control, new ArmResult(SALT, ROUTE, "b", false, treatment.totals(), treatment.ctr(),
                treatment.conversionRate(), null, null, NOW, 1)), List.of()), "b lacks its CTR verdict");
        assertUnchanged(new Results(List.of(control, new ArmResult(SALT, ROUTE, "b", false, null, null, null, treatment.ctrVerdict(),
                null, NOW, 1)), List.of()), "b lacks its totals or rates");
        assertUnchanged(new Results(look("recs-ab-0", Map.of("a", ctr(0.05), "b", ctr(0.06))), List.of()),
                "a row of recs-ab-0 /users/{userId}/recommendations is not of this phase and route");
    }

    @Test
    void aRetryAfterTheShiftDecidesOnTheNewPhaseAndDoesNotShiftAgain() {
        Results phase1 = results(SALT, Map.of("a", ctr(0.05), "b", ctr(0.06)));
        Decision first = PROMOTE.decide(DEPLOYED, ROUTE, phase1);
        Split published = new Split(SALT, first.after().phase(), first.after().weights(), "2026-03-01T12:00:00Z", first.after().reason());

        // The retry reads the split it published: the new phase has no results yet (the store queries by phase).
        Decision retry = PROMOTE.decide(published, ROUTE, new Results(List.of(), List.of()));
        assertThat(retry.changed()).isFalse();
        assertThat(retry.after()).isEqualTo(published);
        assertThat(retry.summary()).contains("no results yet for this phase (this split was published because b wins on CTR in recs-ab-1",
                "a 50\u219225, b 50\u219275").endsWith("Split unchanged.");
        // Handed the old phase's rows anyway, it refuses them rather than shifting on them a second time.
        assertThat(PROMOTE.decide(published, ROUTE, phase1).changed()).isFalse();
    }

    @Test
    void shiftKeepsIntegersSummingTo100AndNeverGoesNegative() {
        assertThat(ExperimentDecision.shift(Map.of("a", 50, "b", 50), "a", 25)).containsAllEntriesOf(Map.of("a", 75, "b", 25));
        assertThat(ExperimentDecision.shift(Map.of("a", 90, "b", 10), "a", 25)).containsAllEntriesOf(Map.of("a", 100, "b", 0));
        assertThat(ExperimentDecision.shift(Map.of("a", 0, "b", 100), "a", 100)).containsAllEntriesOf(Map.of("a", 100, "b", 0));
        assertThat(ExperimentDecision.shift(Map.of("a", 100, "b", 0), "a", 25)).containsAllEntriesOf(Map.of("a", 100, "b", 0));
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            int arms = 2 + random.nextInt(4);
            Map<String, Integer> w = new LinkedHashMap<>();
            int left = 100;
            for (int k = 0; k < arms - 1; k++) {
                int x = random.nextInt(left + 1);
                w.put("v" + k, x);
                left -= x;
            }
            w.put("v" + (arms - 1), left);
            String winner = "v" + random.nextInt(arms);
            int step = 1 + random.nextInt(100);
            Map<String, Integer> out = ExperimentDecision.shift(w, winner, step);
            assertThat(out.values().stream().mapToInt(Integer::intValue).sum()).as("%s %s %d", w, winner, step).isEqualTo(100);
            assertThat(out.get(winner)).isEqualTo(Math.min(100, w.get(winner) + step));
            for (String v : w.keySet()) {
                if (!v.equals(winner)) assertThat(out.get(v)).as("%s %s %d", w, winner, step).isBetween(0, w.get(v));
            }
        }
    }

    @Test
    void phasesFollowTheSalt() {
        assertThat(ExperimentDecision.nextPhase(SALT, SALT)).isEqualTo("recs-ab-1-p2");
        assertThat(ExperimentDecision.nextPhase(SALT, "recs-ab-1-p2")).isEqualTo("recs-ab-1-p3");
        assertThat(ExperimentDecision.nextPhase(SALT, "recs-ab-1-p9")).isEqualTo("recs-ab-1-p10");
        assertThat(ExperimentDecision.nextPhase(SALT, "recs-ab-1-px")).isEqualTo("recs-ab-1-px-p2");
        assertThat(ExperimentDecision.nextPhase(SALT, "other")).isEqualTo("other-p2");
    }

    @Test
    void thePolicyAndTheStepAreChecked() {
        assertThatThrownBy(() -> Policy.parse("auto")).hasMessageContaining("EXPERIMENT_POLICY must be report or promote, got 'auto'");
        assertThatThrownBy(() -> new ExperimentDecision(Policy.PROMOTE, 0)).hasMessageContaining("1..100");
        assertThatThrownBy(() -> new Split(SALT, SALT, weights("a", 50, "b", 40), null, null)).hasMessageContaining("sum to 100");
    }

    private static void assertUnchanged(Results results, String problem) {
        Decision d = PROMOTE.decide(DEPLOYED, ROUTE, results);
        assertThat(d.changed()).as(problem).isFalse();
        assertThat(d.winner()).as(problem).isNull();
        assertThat(d.after()).isEqualTo(DEPLOYED);
        assertThat(d.summary()).contains(problem).endsWith("Split unchanged.");
    }

    private static ArmResult withVariant(ArmResult r, String variant) {
        return new ArmResult(r.experiment(), r.route(), variant, r.control(), r.totals(), r.ctr(), r.conversionRate(), r.ctrVerdict(),
                r.conversionVerdict(), r.computedAt(), r.looks());
    }

    /** Weights in the order given (the split's order, which the summaries follow). */
    static Map<String, Integer> weights(Object... nameThenWeight) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < nameThenWeight.length; i += 2) out.put((String) nameThenWeight[i], (Integer) nameThenWeight[i + 1]);
        return out;
    }
}
