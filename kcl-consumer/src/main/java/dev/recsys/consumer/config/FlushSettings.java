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
    /**
     * How long read records may wait to be batched with later ones. 0: every delivery is written as it comes — a
     * GetRecords batch is a batch already, and with polling any wait costs a whole poll cycle (the flush can only
     * run when the next delivery arrives): 500 ms here put p99 PutRecord → queryable at 1.7-2.3 s instead of 0.8-1.3 s.
     */
    @JsonProperty @NotNull
    public Duration interactionFlushInterval = Duration.milliseconds(0);
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
    /** Threads writing closed checkpoint windows (one per shard at a time) while the shards' fast tiers go on. */
    @JsonProperty @Min(1)
    public int checkpointThreads = 4;
}
