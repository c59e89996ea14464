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
    INVALID_ITEMS
}
