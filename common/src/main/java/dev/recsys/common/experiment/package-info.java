/**
 * A/B experiment statistics: per-arm sufficient statistics ({@link dev.recsys.common.experiment.ArmTotals}),
 * user-clustered ratio metrics by the delta method ({@link dev.recsys.common.experiment.RatioEstimate}),
 * and always-valid comparisons that may be looked at every hour
 * ({@link dev.recsys.common.experiment.MixtureSprt}, {@link dev.recsys.common.experiment.Comparison},
 * {@link dev.recsys.common.experiment.Verdict}).
 *
 * <p>Use at each look: aggregate the per-user rows of every arm into {@code ArmTotals}, then for
 * each treatment arm and metric call {@code Verdict.decide(metric, control, treatment, config,
 * previous)} with the running p-value stored at the previous look ({@code MixtureSprt.FIRST_LOOK}
 * at the first) and store {@code verdict.comparison().runningPValue()} for the next. Pure
 * functions of their inputs: no I/O, no clocks, no shared state.
 */
package dev.recsys.common.experiment;
