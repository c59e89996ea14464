package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.Exposed;
import java.util.List;

/** Fast tier, beside the interactions: what users were shown, for attribution. Idempotent by (user, recommendation id). */
public interface ExposureStore {

    /**
     * Durably stores the exposures of known users and returns all of them, in order, with
     * {@code firstSeen} set as {@link InteractionStore#store} does. Anonymous exposures (no user) are
     * not stored (nothing can be attributed to them) and always count as first seen.
     */
    List<Exposed> storeExposures(String shardId, List<Exposed> exposures);
}
