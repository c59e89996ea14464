package dev.recsys.common.event;

/** Why a record was dead-lettered. The name is what lands in the dead-letter record's {@code reason}. */
public enum RejectReason {
    EMPTY_RECORD,
    RECORD_TOO_LARGE,
    NOT_UTF8,
    INVALID_JSON,
    NOT_A_JSON_OBJECT,
    MISSING_FIELD,
    WRONG_TYPE,
    INVALID_ID,
    INVALID_EVENT_TYPE,
    INVALID_EVENT_VALUE,
    TIMESTAMP_IN_FUTURE,
    TIMESTAMP_TOO_OLD,
    INVALID_PROPERTIES,
    /** {@code record_type} names no record kind this consumer knows. */
    UNKNOWN_RECORD_TYPE,
    /** An exposure names a route the API does not have. */
    INVALID_ROUTE,
    /** An exposure's item list is not a list of at most {@link Exposure#MAX_ITEMS} valid ids. */
    INVALID_ITEMS,
    /** An item record's {@code operation} is neither {@code upsert} nor {@code delete}. */
    INVALID_OPERATION,
    /** An item record carries a field its operation does not have (a typo would otherwise be lost silently). */
    UNKNOWN_FIELD,
    /** An item record has more genres or display fields than {@code CatalogLimits} allows. */
    TOO_MANY_FIELDS,
    /** An item record's field is longer than {@code CatalogLimits} allows. */
    FIELD_TOO_LARGE,
    /** An item record's field has the right type but a value outside its rules (characters, range, duplicates). */
    INVALID_FIELD_VALUE
}
