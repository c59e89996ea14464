package dev.recsys.consumer.sink;

import dev.recsys.consumer.record.IngestedRecord.Accepted;
import java.util.List;

/** Fast tier: makes events queryable. Idempotent by (user_id, sort key). */
public interface InteractionStore {

    /**
     * Durably stores the events and returns them, in order, with {@code firstSeen} set: true when
     * this record is the one that stored the event (also when a replay re-presents it), false
     * when an earlier, different record already stored the same event (a producer retry).
     *
     * @throws SinkException when the write could not be completed
     */
    List<Accepted> store(String shardId, List<Accepted> events);
}
