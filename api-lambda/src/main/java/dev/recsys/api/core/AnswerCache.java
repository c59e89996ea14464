package dev.recsys.api.core;

import java.util.function.Supplier;

/** Read-through caching of answers (Redis in production); it degrades to computing, it never fails the answer. */
public interface AnswerCache {

    /** A computed answer and whether it may be cached. */
    record Computed(Answer value, boolean cacheable) {}

    /** The answer and what the cache did to get it. */
    record Lookup(Answer value, CacheOutcome outcome) {}

    /** A hit comes back {@link Answer#asCached()}; a miss computes (once per key) and stores what is cacheable. */
    Lookup get(String hashKey, String field, Supplier<Computed> compute, String requestId);
}
