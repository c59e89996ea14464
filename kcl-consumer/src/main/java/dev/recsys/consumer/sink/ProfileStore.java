package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.Accepted;
import java.util.List;

/** Slow tier: per-user counters. Applying the same events twice must not double-count. */
public interface ProfileStore {
    /** @param firstSeen events that {@link InteractionStore} reported as first seen, in stream order */
    void apply(String shardId, List<Accepted> firstSeen);
}
