package dev.recsys.consumer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Best-effort side effects of ingestion: cache invalidation, Personalize real-time events, items and users. */
public class RealtimeSettings {
    /** redis:// or rediss:// (TLS) URI of the API's cache; empty disables invalidation. */
    @JsonProperty
    public String redisUri;
    /** The cache user this consumer connects as with IAM tokens (its id = its name); empty: no credentials. */
    @JsonProperty
    public String redisUser;
    /** The cache's replication group id, which the IAM token is signed for; required with a user. */
    @JsonProperty
    public String redisCacheName;
    @JsonProperty @NotNull
    public Duration redisTimeout = Duration.milliseconds(200);
    /** Personalize event tracker id; empty disables PutEvents forwarding. */
    @JsonProperty
    public String eventTrackingId;
    @JsonProperty @Min(1)
    public int eventQueueCapacity = 100_000;
    @JsonProperty @Min(1)
    public int eventSendAttempts = 3;
    /** PutEvents calls in flight at once (each holds one user's events). */
    @JsonProperty @Min(1)
    public int eventMaxInFlight = 32;
    @JsonProperty @NotNull
    public Duration eventCallTimeout = Duration.seconds(10);
    /** The Items dataset's ARN; empty disables PutItems (queue, attempts, calls in flight and timeout as for events). */
    @JsonProperty
    public String itemsDatasetArn;
    /** The Users dataset's ARN; empty disables PutUsers (same queue, attempts, calls in flight and timeout). */
    @JsonProperty
    public String usersDatasetArn;
    /** Lifetime of a user's cache generation after its last bump; must exceed the API's cache TTL. */
    @JsonProperty @NotNull
    public Duration cacheGenerationTtl = Duration.hours(1);
}
