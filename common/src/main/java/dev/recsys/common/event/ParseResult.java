package dev.recsys.common.event;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;

/** Outcome of parsing one record: an accepted event, exposure, item or user, or a typed rejection with a human-readable detail. */
public sealed interface ParseResult {

    record Accepted(InteractionEvent event) implements ParseResult {}

    record AcceptedExposure(Exposure exposure) implements ParseResult {}

    record AcceptedItem(CatalogItem item) implements ParseResult {}

    record AcceptedUser(CatalogUser user) implements ParseResult {}

    record Rejected(RejectReason reason, String detail) implements ParseResult {}

    static ParseResult reject(RejectReason reason, String detail) {
        return new Rejected(reason, detail);
    }
}
