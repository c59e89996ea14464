package dev.recsys.consumer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Backoff for store writes; after the last attempt the batch stays unacknowledged and is retried later. */
public class RetrySettings {
    @JsonProperty @Min(1) @Max(50)
    public int maxAttempts = 8;
    @JsonProperty @NotNull
    public Duration initialBackoff = Duration.milliseconds(50);
    @JsonProperty @NotNull
    public Duration maxBackoff = Duration.seconds(5);

    /** The same backoff with at most {@code attempts} attempts: for best-effort reads beside the pipeline. */
    public RetrySettings withMaxAttempts(int attempts) {
        RetrySettings s = new RetrySettings();
        s.maxAttempts = attempts;
        s.initialBackoff = initialBackoff;
        s.maxBackoff = maxBackoff;
        return s;
    }
}
