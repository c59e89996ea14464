package dev.recsys.api.core;

/** What the cache did for one answer; BYPASS when no cache is configured or the answer is never cached. */
public enum CacheOutcome { HIT, MISS, ERROR, BYPASS }
