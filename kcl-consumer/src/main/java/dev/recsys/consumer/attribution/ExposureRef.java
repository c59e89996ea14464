package dev.recsys.consumer.attribution;

import dev.recsys.common.experiment.ResultsCalculator.Arm;
import java.util.List;

/**
 * An answer shown to a user, as attribution needs it.
 *
 * @param sourcePosition {@code shard/sortable position} of the record that brought it: an interaction
 *                       may only be credited to an exposure that came before it on the stream
 */
public record ExposureRef(String userId, String recommendationId, long exposedAt, Arm arm, List<String> items,
                          String sourcePosition) {

    public ExposureRef {
        items = List.copyOf(items);
    }

    /** Same shard: strictly earlier on it. Another shard (before a reshard): earlier by construction. */
    boolean precedes(String shardId, String sortablePosition) {
        int slash = sourcePosition.lastIndexOf('/');
        String shard = sourcePosition.substring(0, slash);
        return !shard.equals(shardId) || sourcePosition.substring(slash + 1).compareTo(sortablePosition) < 0;
    }
}
