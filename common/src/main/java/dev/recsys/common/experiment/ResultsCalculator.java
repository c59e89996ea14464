package dev.recsys.common.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One look at every experiment: from the per-arm totals (summed over {@code experiment_users}) and the
 * previous look's results, the new {@link ArmResult}s. Each route is its own comparison: its control is
 * the configured control variant when the route has it, else its first variant by name; every other
 * arm is judged against it on CTR and on conversions per exposure, carrying its running p-values.
 */
public final class ResultsCalculator {

    /** An arm's identity. */
    public record Arm(String experiment, String route, String variant) {
        public Arm {
            Objects.requireNonNull(experiment, "experiment");
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(variant, "variant");
        }
    }

    private final DecisionConfig config;
    private final String controlVariant;

    /** @param controlVariant preferred control name (e.g. the popularity baseline), null for "first by name" */
    public ResultsCalculator(DecisionConfig config, String controlVariant) {
        this.config = config;
        this.controlVariant = controlVariant;
    }

    /**
     * @param totals   every arm that has users
     * @param previous the stored results of the previous look, by arm (missing arms start afresh)
     */
    public List<ArmResult> look(Map<Arm, ArmTotals> totals, Map<Arm, ArmResult> previous, long now) {
        Map<String, Map<String, ArmTotals>> byRoute = new TreeMap<>();
        totals.forEach((arm, t) -> byRoute.computeIfAbsent(arm.experiment() + "\n" + arm.route(), k -> new TreeMap<>())
                .put(arm.variant(), t));
        List<ArmResult> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, ArmTotals>> route : byRoute.entrySet()) {
            String[] er = route.getKey().split("\n", 2);
            Map<String, ArmTotals> arms = route.getValue();
            String control = controlVariant != null && arms.containsKey(controlVariant) ? controlVariant : arms.keySet().iterator().next();
            ArmTotals controlTotals = arms.get(control);
            for (Map.Entry<String, ArmTotals> a : arms.entrySet()) {
                Arm arm = new Arm(er[0], er[1], a.getKey());
                ArmResult before = previous.get(arm);
                boolean isControl = a.getKey().equals(control);
                Verdict ctr = isControl ? null : Verdict.decide(Metric.CTR, controlTotals, a.getValue(), config,
                        before == null ? MixtureSprt.FIRST_LOOK : before.runningPValue(Metric.CTR));
                Verdict conversion = isControl ? null : Verdict.decide(Metric.CONVERSION_RATE, controlTotals, a.getValue(), config,
                        before == null ? MixtureSprt.FIRST_LOOK : before.runningPValue(Metric.CONVERSION_RATE));
                out.add(new ArmResult(arm.experiment(), arm.route(), arm.variant(), isControl, a.getValue(),
                        Metric.CTR.of(a.getValue()), Metric.CONVERSION_RATE.of(a.getValue()), ctr, conversion, now,
                        before == null ? 1 : before.looks() + 1));
            }
        }
        return out;
    }
}
