package dev.recsys.consumer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.experiment.DecisionConfig;
import dev.recsys.consumer.attribution.AttributionPolicy;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Attribution of interactions to the answers that led to them, and the experiment results computed from it. */
public class ExperimentSettings {
    /** An interaction without recommendation_id is credited to the most recent answer showing its item within this window. */
    @JsonProperty @NotNull
    public Duration attributionWindow = Duration.minutes(Exposure.DEFAULT_ATTRIBUTION_WINDOW.toMinutes());
    /** Comma-separated event types counted as clicks. */
    @JsonProperty @NotEmpty
    public String clickEventTypes = "click";
    /** Comma-separated event types counted as conversions. */
    @JsonProperty @NotEmpty
    public String conversionEventTypes = "purchase";
    /** How often one worker of the fleet recomputes the results from the per-user rows. */
    @JsonProperty @NotNull
    public Duration resultsInterval = Duration.minutes(1);
    /** The variant the others are compared with (e.g. the popularity baseline); empty: the first by name. */
    @JsonProperty
    public String controlVariant;
    @JsonProperty
    public double alpha = DecisionConfig.DEFAULTS.alpha();
    @JsonProperty
    public double ctrTau = DecisionConfig.DEFAULTS.ctrTau();
    @JsonProperty
    public double conversionRateTau = DecisionConfig.DEFAULTS.conversionRateTau();
    @JsonProperty @Min(2)
    public long minUsers = DecisionConfig.DEFAULTS.minUsers();
    @JsonProperty @Min(1)
    public long minExposures = DecisionConfig.DEFAULTS.minExposures();
    /** Exposures and per-user experiment rows expire this many days after their last change. */
    @JsonProperty @Min(1)
    public int ttlDays = 30;

    public AttributionPolicy attributionPolicy() {
        return new AttributionPolicy(attributionWindow.toJavaDuration(), types(clickEventTypes), types(conversionEventTypes));
    }

    public DecisionConfig decisionConfig() {
        return new DecisionConfig(alpha, ctrTau, conversionRateTau, minUsers, minExposures);
    }

    private static Set<String> types(String csv) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(csv.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(out::add);
        return out;
    }
}
