package dev.recsys.common.catalog;

import java.util.Objects;

/**
 * One user record of the stream ({@code "record_type": "user"}, partition key = the user): an upsert carries the
 * user's whole current metadata, a delete only the id and time. Ordered and replayed exactly like
 * {@link CatalogItem}: per user the record with the greatest {@link #revision()} wins, a delete stays a tombstone.
 *
 * @param segment    upserts: optional categorical value
 * @param membership upserts: optional categorical value
 * @param age        upserts: optional, {@code 0..MAX_AGE}
 */
public record CatalogUser(String userId, CatalogItem.Operation operation, long updatedAt, String segment, String membership,
                          Integer age) {

    public CatalogUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(operation, "operation");
        if (updatedAt < 0) throw new IllegalArgumentException("updatedAt must be >= 0");
        if (operation == CatalogItem.Operation.DELETE) {
            if (segment != null || membership != null || age != null) {
                throw new IllegalArgumentException("a delete carries only the user id and its time");
            }
        } else {
            if (segment != null && !CatalogLimits.isCategorical(segment)) throw new IllegalArgumentException("segment " + segment);
            if (membership != null && !CatalogLimits.isCategorical(membership)) throw new IllegalArgumentException("membership " + membership);
            if (age != null && (age < 0 || age > CatalogLimits.MAX_AGE)) throw new IllegalArgumentException("age " + age);
        }
    }

    public static CatalogUser upsert(String userId, long updatedAt, String segment, String membership, Integer age) {
        return new CatalogUser(userId, CatalogItem.Operation.UPSERT, updatedAt, segment, membership, age);
    }

    public static CatalogUser delete(String userId, long updatedAt) {
        return new CatalogUser(userId, CatalogItem.Operation.DELETE, updatedAt, null, null, null);
    }

    public boolean isDelete() {
        return operation == CatalogItem.Operation.DELETE;
    }

    /** This record's place in the user's order ({@link Revision}). */
    public String revision() {
        String canonical = userId + '\0' + operation.wire() + '\0' + segment + '\0' + membership + '\0' + age + '\0';
        return Revision.of(updatedAt, isDelete(), canonical);
    }
}
