package dev.recsys.consumer.record;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.event.RejectReason;

/**
 * One user record after parsing: an accepted interaction, exposure, catalog item or user, or a rejection, always with
 * its origin.
 */
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
     * A record of a catalog entity, an item or a user: its table keeps, per entity, the record with the greatest
     * revision, deletes as tombstones, so both kinds share one store path, one archive rule and one forwarder.
     *
     * @param <R> the record's own type, so {@link #withApplied} keeps it
     */
    sealed interface CatalogChange<R extends CatalogChange<R>> extends IngestedRecord permits Cataloged, UserCataloged {

        /** The item or user id: the table's key and the entity the revision orders. */
        String entityId();

        /** The record's place in its entity's order (computed on each call). */
        String revision();

        boolean isDelete();

        /** Epoch ms of the change at the producer: names the raw object's hour. */
        long updatedAt();

        /** False when the table already held this record or a later one of the entity: the table is unchanged. */
        boolean applied();

        R withApplied(boolean now);
    }

    /**
     * @param applied false when the items table already held this record or a later one of the item (a replay, a
     *                producer retry, or a record that arrived after a newer one): the table is unchanged
     */
    record Cataloged(CatalogItem item, RecordPosition position, boolean applied) implements CatalogChange<Cataloged> {
        @Override
        public Cataloged withApplied(boolean now) {
            return new Cataloged(item, position, now);
        }

        @Override
        public String entityId() {
            return item.itemId();
        }

        @Override
        public String revision() {
            return item.revision();
        }

        @Override
        public boolean isDelete() {
            return item.isDelete();
        }

        @Override
        public long updatedAt() {
            return item.updatedAt();
        }
    }

    /** A user record; {@code applied} as for {@link Cataloged}, against the users table. */
    record UserCataloged(CatalogUser user, RecordPosition position, boolean applied) implements CatalogChange<UserCataloged> {
        @Override
        public UserCataloged withApplied(boolean now) {
            return new UserCataloged(user, position, now);
        }

        @Override
        public String entityId() {
            return user.userId();
        }

        @Override
        public String revision() {
            return user.revision();
        }

        @Override
        public boolean isDelete() {
            return user.isDelete();
        }

        @Override
        public long updatedAt() {
            return user.updatedAt();
        }
    }

    record Rejected(RejectReason reason, String detail, byte[] data, String partitionKey,
                    RecordPosition position, long approximateArrivalMillis) implements IngestedRecord {}
}
