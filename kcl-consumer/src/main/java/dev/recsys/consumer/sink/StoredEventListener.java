package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.Accepted;
import java.util.List;

/**
 * Best-effort reaction to newly stored events (cache invalidation, real-time Personalize events).
 * Must never throw and never block for long: the stores, not these, are the source of truth.
 */
public interface StoredEventListener extends AutoCloseable {
    void onStored(List<Accepted> firstSeen);

    @Override
    default void close() {}
}
