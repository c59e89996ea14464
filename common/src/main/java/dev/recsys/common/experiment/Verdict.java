package dev.recsys.common.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Whether one treatment arm beat, or lost to, the control on one metric, at one look.
 *
 * <p>The rule: significant when the running always-valid p-value is below α and both arms have at
 * least {@link DecisionConfig#minUsers()} users and {@link DecisionConfig#minExposures()} exposures;
 * then the winner is the treatment if θ̂ &gt; 0 and the control otherwise. Because the p-value is
 * always valid, the job may apply this rule at every look and act on the first significant verdict
 * while keeping the chance of ever naming a winner in an A/A experiment at most α (up to the
 * normal approximation of the estimates, which the minimum sample is there to make good).
 *
 * @param winner               {@link Winner#NONE} unless significant
 * @param significant          the rule above holds
 * @param minimumSampleReached both arms reached the configured minimum users and exposures
 * @param comparison           the numbers behind the verdict; store its running p-value for the next look
 */
public record Verdict(
        @JsonProperty("winner") Winner winner,
        @JsonProperty("significant") boolean significant,
        @JsonProperty("minimum_sample_reached") boolean minimumSampleReached,
        @JsonProperty("comparison") Comparison comparison) {

    public enum Winner { NONE, CONTROL, TREATMENT }

    /**
     * Applies the winner rule to this look.
     *
     * @param previousPValue the running p-value stored at the previous look, or {@link MixtureSprt#FIRST_LOOK}
     */
    public static Verdict decide(Metric metric, ArmTotals control, ArmTotals treatment,
                                 DecisionConfig config, double previousPValue) {
        Comparison comparison = Comparison.of(metric, control, treatment, config.tau(metric), config.alpha(), previousPValue);
        boolean minimumSample = reached(control, config) && reached(treatment, config);
        boolean significant = minimumSample
                && comparison.status() == Comparison.Status.OK
                && comparison.runningPValue() < config.alpha();
        Winner winner = !significant ? Winner.NONE : comparison.difference() > 0 ? Winner.TREATMENT : Winner.CONTROL;
        return new Verdict(winner, significant, minimumSample, comparison);
    }

    private static boolean reached(ArmTotals arm, DecisionConfig config) {
        return arm.users() >= config.minUsers() && arm.exposures() >= config.minExposures();
    }
}
