package dev.recsys.consumer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.recsys.common.event.EventLimits;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** consumer.yml: every value can be overridden from the environment via ${VAR:-default}. */
public class ConsumerConfiguration extends Configuration {
    @JsonProperty @Valid @NotNull
    public KclSettings kcl = new KclSettings();
    @JsonProperty @Valid @NotNull
    public AwsSettings aws = new AwsSettings();
    @JsonProperty @Valid @NotNull
    public StoreSettings stores = new StoreSettings();
    @JsonProperty @Valid @NotNull
    public FlushSettings flush = new FlushSettings();
    @JsonProperty @Valid @NotNull
    public RetrySettings retry = new RetrySettings();
    @JsonProperty @Valid @NotNull
    public RealtimeSettings realtime = new RealtimeSettings();
    @JsonProperty @Valid @NotNull
    public ExperimentSettings experiments = new ExperimentSettings();
    @JsonProperty @NotNull
    public Duration maxFutureSkew = Duration.minutes(5);
    @JsonProperty @NotNull
    public Duration maxEventAge = Duration.days(365);
    /** Health turns red when a shard has had unflushed data for longer than this. */
    @JsonProperty @NotNull
    public Duration maxFlushAge = Duration.minutes(5);
    /** How often each worker writes its lag metric (metrics.consumer_lag: max MillisBehindLatest over its shards). */
    @JsonProperty @NotNull
    public Duration lagMetricInterval = Duration.minutes(1);

    public EventLimits eventLimits() {
        return new EventLimits(EventLimits.DEFAULT.maxRecordBytes(), maxFutureSkew.toJavaDuration(), maxEventAge.toJavaDuration());
    }
}
