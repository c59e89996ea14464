package dev.recsys.api.cache;

import dev.recsys.api.metrics.LogSink;
import dev.recsys.api.metrics.RequestMetrics;
import dev.recsys.api.metrics.RequestMetrics.CacheOutcome;
import dev.recsys.common.cache.RecommendationCacheKeys;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Read-through caching with stampede protection and graceful degradation:
 * <ol>
 *   <li>hit → decoded value;</li>
 *   <li>miss → one computation per key in this process ({@link SingleFlight}) and, across
 *       instances, one per key cluster-wide via a short Redis fill lock; the others poll the
 *       cache until the filler has written it (bounded by {@code fillWait}, then compute themselves);</li>
 *   <li>Redis down or slow → compute and answer uncached, never fail.</li>
 * </ol>
 * Only values the computation marks cacheable are written (fallback answers are not, so recovery shows at once).
 */
public final class CacheAside<T> {

    /** A computed value and whether it may be cached. */
    public record Computed<T>(T value, boolean cacheable) {}

    private static final long POLL_NANOS = 3_000_000L;

    private final RedisCache cache;
    private final Function<T, String> encode;
    private final Function<String, T> decode;
    private final LogSink log;
    private final SingleFlight<Fill<T>> singleFlight = new SingleFlight<>();

    private record Fill<T>(T value, boolean fromCache) {}

    public CacheAside(RedisCache cache, Function<T, String> encode, Function<String, T> decode, LogSink log) {
        this.cache = cache;
        this.encode = encode;
        this.decode = decode;
        this.log = log;
    }

    /**
     * @param onHit maps a value read from the cache (e.g. marks it "cached")
     */
    public T get(String hashKey, String field, Supplier<Computed<T>> compute, Function<T, T> onHit,
                 RequestMetrics metrics, String requestId) {
        RedisCache.Read read;
        try {
            read = cache.read(hashKey, field);
        } catch (CacheUnavailableException e) {
            metrics.cache(CacheOutcome.ERROR);
            log.log("WARN", "cache read failed, serving uncached", "request_id", requestId, "error", e.getMessage());
            return compute.get().value();
        }
        T hit = decodeOrNull(read.value());
        if (hit != null) {
            metrics.cache(CacheOutcome.HIT);
            return onHit.apply(hit);
        }
        metrics.cache(CacheOutcome.MISS);
        Fill<T> fill = singleFlight.run(hashKey + '\n' + field,
                () -> fill(hashKey, field, read.generation(), compute, requestId));
        return fill.fromCache() ? onHit.apply(fill.value()) : fill.value();
    }

    /** @param generation the hash's generation when we missed: read before the model is asked, so a later invalidation wins */
    private Fill<T> fill(String hashKey, String field, String generation, Supplier<Computed<T>> compute, String requestId) {
        String lockKey = RecommendationCacheKeys.fillLockKey(hashKey, field);
        String token = UUID.randomUUID().toString();
        boolean locked = false;
        try {
            try {
                locked = cache.tryLock(lockKey, token);
                // A filler that finished between our miss and now has released its lock: look again.
                T filled = locked ? decodeOrNull(cache.get(hashKey, field)) : awaitOtherFiller(hashKey, field);
                if (filled != null) {
                    return new Fill<>(filled, true);
                }
            } catch (CacheUnavailableException e) {
                log.log("WARN", "cache fill lock failed, computing uncached", "request_id", requestId, "error", e.getMessage());
            }
            Computed<T> computed = compute.get();
            if (computed.cacheable()) {
                try {
                    if (!cache.putIfGeneration(hashKey, field, encode.apply(computed.value()), generation)) {
                        log.log("INFO", "answer not cached: the entry was invalidated while it was computed",
                                "request_id", requestId);
                    }
                } catch (CacheUnavailableException e) {
                    log.log("WARN", "cache write failed", "request_id", requestId, "error", e.getMessage());
                }
            }
            return new Fill<>(computed.value(), false);
        } finally {
            if (locked) {
                try {
                    cache.unlock(lockKey, token);
                } catch (CacheUnavailableException e) {
                    // the lock expires on its own after fillLockTtl
                }
            }
        }
    }

    private T awaitOtherFiller(String hashKey, String field) throws CacheUnavailableException {
        long deadline = System.nanoTime() + cache.config().fillWait().toNanos();
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
            T value = decodeOrNull(cache.get(hashKey, field));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private T decodeOrNull(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return decode.apply(stored);
        } catch (RuntimeException e) {
            return null; // an entry from an incompatible build is just a miss
        }
    }
}
