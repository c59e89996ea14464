package dev.recsys.consumer.record;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.event.RejectReason;

/** One user record after parsing: an accepted interaction, exposure or catalog item, or a rejection, always with its origin. */
public sealed interface IngestedRecord {

    RecordPosition position();

    /** @param firstSeen false when this event id was already stored by an earlier record (a producer retry) */
    record Accepted(InteractionEvent event, RecordPosition position, boolean firstSeen) implements IngestedRecord {
        public Accepted withFirstSeen(boolean seen) {
            return new Accepted(event, position, seen);
        }
    }

    /** @param firstSeen false when this answer was already stored by an earlier record (the API resent it) */
    record Exposed(Exposure exposure, RecordPosition position, boolean firstSeen) implements IngestedRecord {
        public Exposed withFirstSeen(boolean seen) {
            return new Exposed(exposure, position, seen);
        }
    }

    /**
     * @param applied false when the items table already held this record or a later one of the item (a replay, a
     *                producer retry, or a record that arrived after a newer one): the table is unchanged
     */
    record Cataloged(CatalogItem item, RecordPosition position, boolean applied) implements IngestedRecord {
        public Cataloged withApplied(boolean now) {
            return new Cataloged(item, position, now);
        }
    }

    record Rejected(RejectReason reason, String detail, byte[] data, String partitionKey,
                    RecordPosition position, long approximateArrivalMillis) implements IngestedRecord {}
}
