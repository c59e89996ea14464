package dev.recsys.consumer.sink;

import dev.recsys.consumer.attribution.Credit;
import java.util.List;

/** Checkpoint tier: per user and arm, exposures, clicks and conversions. Applying the same credits twice must not double-count. */
public interface ExperimentStore {
    /** @param credits one window's credits of this shard, in stream order */
    void credit(String shardId, List<Credit> credits);
}
