package dev.recsys.api.core;

/**
 * An answer as served, with what it took: the cache outcome, the breaker state when the model was
 * asked (null when it was not) and whether its exposure was recorded. The metrics read these facts
 * from here, once, when the request ends.
 */
public record Served(Answer answer, CacheOutcome cache, String breakerState, boolean exposureRecorded) {}
