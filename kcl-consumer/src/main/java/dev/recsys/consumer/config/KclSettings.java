package dev.recsys.consumer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** The KCL's own knobs. The application name is also the lease table's name. */
public class KclSettings {
    public enum RetrievalMode { POLLING, FANOUT }
    public enum InitialPosition { TRIM_HORIZON, LATEST }

    @JsonProperty @NotEmpty
    public String streamName;
    @JsonProperty @NotEmpty
    public String applicationName = "recsys-consumer";
    @JsonProperty
    public String workerId;
    @JsonProperty @NotNull
    public RetrievalMode retrievalMode = RetrievalMode.POLLING;
    @JsonProperty @NotNull
    public InitialPosition initialPosition = InitialPosition.TRIM_HORIZON;
    @JsonProperty @Min(1)
    public int maxRecordsPerGet = 10_000;
    @JsonProperty @Min(0)
    public long idleTimeBetweenReadsMillis = 500;
    @JsonProperty @Min(100)
    public long failoverTimeMillis = 10_000;
    @JsonProperty @Min(100)
    public long shardSyncIntervalMillis = 60_000;
    /** How long SIGTERM waits for processors to flush and checkpoint (keep below ECS stopTimeout). */
    @JsonProperty @Min(1)
    public long gracefulShutdownMillis = 90_000;
}
