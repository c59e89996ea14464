package dev.recsys.api.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why an answer came from the popular-items fallback instead of the model; named in every such response. */
public enum FallbackReason {
    /** No interaction history for the user: a personalized model has nothing to go on. */
    COLD_START,
    /** The model did not answer within the time budget. */
    TIMEOUT,
    /** The circuit breaker is open after repeated failures: the model is not called at all. */
    CIRCUIT_OPEN,
    /** Too many concurrent model calls from this instance. */
    BULKHEAD_FULL,
    /** The model answered 5xx. */
    BACKEND_5XX,
    /** The model throttled us (429). */
    BACKEND_THROTTLED,
    /** The model rejected the request (4xx): typically configuration, e.g. a wrong campaign ARN. */
    BACKEND_REJECTED,
    /** Any other failure (network, parsing). */
    BACKEND_ERROR,
    /** No campaign is configured for this use case. */
    NO_CAMPAIGN,
    /** No interaction with the item was ever stored: a related-items model has nothing to relate it to. */
    UNKNOWN_ITEM;

    /** The name in responses, exposures and metrics, e.g. {@code cold_start}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a cached answer's reason back. */
    @JsonCreator
    public static FallbackReason ofWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
