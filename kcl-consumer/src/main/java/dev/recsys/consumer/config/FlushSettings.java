package dev.recsys.consumer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Two flush tiers per shard. The fast tier makes events queryable in DynamoDB within
 * {@code interactionFlushInterval}. The slow tier (profiles, S3 raw objects, dead letters) runs less
 * often, so S3 gets one object per shard per window and a busy user one profile write per window;
 * the checkpoint follows the slow tier, because only then is every write of the window durable.
 */
public class FlushSettings {
    @JsonProperty @NotNull
    public Duration interactionFlushInterval = Duration.milliseconds(500);
    @JsonProperty @Min(1)
    public int interactionFlushRecords = 1_000;
    @JsonProperty @NotNull
    public Duration checkpointInterval = Duration.seconds(10);
    @JsonProperty @Min(1)
    public int checkpointRecords = 20_000;
    /** Above this many buffered records per shard, a failing store blocks the shard (back-pressure). */
    @JsonProperty @Min(1)
    public int maxBufferedRecords = 50_000;
    /** Concurrent DynamoDB batch calls per worker (shared by its shards). */
    @JsonProperty @Min(1)
    public int storeConcurrency = 16;
}
