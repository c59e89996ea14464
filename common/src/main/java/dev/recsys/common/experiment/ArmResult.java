package dev.recsys.common.experiment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One arm of one route of one experiment at one look: what the consumer stores in the
 * {@code experiments} table, the API serves at {@code GET /experiments} and the pipeline decides on.
 *
 * @param control           whether this arm is the route's control (the others are compared with it)
 * @param ctrVerdict        this arm against the control on CTR; null for the control and for single-arm routes
 * @param conversionVerdict the same on conversions per exposure
 * @param looks             how many times the results were computed (each one a look for the running p-values)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArmResult(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("route") String route,
        @JsonProperty("variant") String variant,
        @JsonProperty("control") boolean control,
        @JsonProperty("totals") ArmTotals totals,
        @JsonProperty("ctr") RatioEstimate ctr,
        @JsonProperty("conversion_rate") RatioEstimate conversionRate,
        @JsonProperty("ctr_vs_control") Verdict ctrVerdict,
        @JsonProperty("conversion_rate_vs_control") Verdict conversionVerdict,
        @JsonProperty("computed_at") long computedAt,
        @JsonProperty("looks") long looks) {

    /** The running p-value to carry to the next look (FIRST_LOOK when there was none). */
    public double runningPValue(Metric metric) {
        Verdict v = metric == Metric.CTR ? ctrVerdict : conversionVerdict;
        return v == null ? MixtureSprt.FIRST_LOOK : v.comparison().runningPValue();
    }
}
