package dev.recsys.common.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One treatment arm against the control arm on one metric, at one look.
 *
 * <p>θ̂ = r_T − r_C with V = se_T² + se_C² (the arms are independent because users are randomised
 * to one arm), tested with {@link MixtureSprt}. The relative lift r_T/r_C − 1 is descriptive only:
 * its inference would need its own delta method, and the decision is taken on θ.
 *
 * <p>When either arm has no standard error ({@link RatioEstimate#hasStandardError()} is false) the
 * status is {@link Status#NOT_ENOUGH_DATA}: this look brings no evidence, so {@code pValue} is 1,
 * {@code runningPValue} is the previous one unchanged, and the difference, its standard error, the
 * lift and the interval are 0; the arm estimates are still filled in.
 *
 * @param metric                  what is compared
 * @param status                  {@link Status#OK} when the numbers below are meaningful
 * @param control                 the control arm's estimate
 * @param treatment               the treatment arm's estimate
 * @param difference              θ̂ = r_T − r_C, absolute
 * @param differenceStandardError sqrt(V)
 * @param relativeLift            r_T/r_C − 1, descriptive (r_C &gt; 0 whenever status is OK)
 * @param ciLow                   lower end of the always-valid (1 − α) interval for θ
 * @param ciHigh                  upper end of that interval
 * @param pValue                  this look's always-valid p-value min(1, 1/Λ)
 * @param runningPValue           min over all looks so far; store it and pass it to the next look
 */
public record Comparison(
        @JsonProperty("metric") Metric metric,
        @JsonProperty("status") Status status,
        @JsonProperty("control") RatioEstimate control,
        @JsonProperty("treatment") RatioEstimate treatment,
        @JsonProperty("difference") double difference,
        @JsonProperty("difference_standard_error") double differenceStandardError,
        @JsonProperty("relative_lift") double relativeLift,
        @JsonProperty("ci_low") double ciLow,
        @JsonProperty("ci_high") double ciHigh,
        @JsonProperty("p_value") double pValue,
        @JsonProperty("running_p_value") double runningPValue) {

    /** Whether this look could be evaluated. */
    public enum Status { OK, NOT_ENOUGH_DATA }

    /**
     * Compares {@code treatment} with {@code control} on {@code metric}.
     *
     * @param tau            the mixing standard deviation for this metric, absolute (see {@link DecisionConfig})
     * @param alpha          1 − the confidence level of the interval
     * @param previousPValue the running p-value from the previous look, or {@link MixtureSprt#FIRST_LOOK}
     */
    public static Comparison of(Metric metric, ArmTotals control, ArmTotals treatment,
                                double tau, double alpha, double previousPValue) {
        if (metric == null || control == null || treatment == null) throw new IllegalArgumentException("metric and arms are required");
        RatioEstimate c = metric.of(control);
        RatioEstimate t = metric.of(treatment);
        if (!c.hasStandardError() || !t.hasStandardError()) {
            double running = MixtureSprt.runningPValue(previousPValue, 1.0);
            return new Comparison(metric, Status.NOT_ENOUGH_DATA, c, t, 0, 0, 0, 0, 0, 1.0, running);
        }
        double theta = t.estimate() - c.estimate();
        double variance = t.standardError() * t.standardError() + c.standardError() * c.standardError();
        double tauSquared = tau * tau;
        double p = MixtureSprt.pValue(theta, variance, tauSquared);
        MixtureSprt.Interval ci = MixtureSprt.confidenceInterval(theta, variance, tauSquared, alpha);
        // A control with a standard error has some clicks: with none, every user's ratio is 0 and the variance is 0.
        double lift = t.estimate() / c.estimate() - 1;
        return new Comparison(metric, Status.OK, c, t, theta, Math.sqrt(variance), lift, ci.low(), ci.high(),
                p, MixtureSprt.runningPValue(previousPValue, p));
    }
}
