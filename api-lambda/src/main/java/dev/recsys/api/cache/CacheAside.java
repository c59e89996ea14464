package dev.recsys.api.cache;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.recsys.api.core.Answer;
import dev.recsys.api.core.AnswerCache;
import dev.recsys.api.core.CacheOutcome;
import dev.recsys.api.json.Json;
import dev.recsys.common.cache.RecommendationCacheKeys;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-through caching of answers (JSON in a Redis hash field) with stampede protection and graceful degradation:
 * <ol>
 *   <li>hit → decoded answer, marked cached;</li>
 *   <li>miss → one computation per key in this process ({@link SingleFlight}) and, across
 *       instances, one per key cluster-wide via a short Redis fill lock; the others poll the
 *       cache until the filler has written it (bounded by {@code fillWait}, then compute themselves);</li>
 *   <li>Redis down or slow → compute and answer uncached, never fail.</li>
 * </ol>
 * Only values the computation marks cacheable are written (fallback answers are not, so recovery shows at once).
 */
public final class CacheAside implements AnswerCache {

    private static final long POLL_NANOS = 3_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(CacheAside.class);

    private final RedisCache cache;
    private final SingleFlight<Fill> singleFlight = new SingleFlight<>();

    private record Fill(Answer value, boolean fromCache) {}

    public CacheAside(RedisCache cache) {
        this.cache = cache;
    }

    @Override
    public Lookup get(String hashKey, String field, Supplier<Computed> compute, String requestId) {
        RedisCache.Read read;
        try {
            read = cache.read(hashKey, field);
        } catch (CacheUnavailableException e) {
            LOG.warn("cache read failed, serving uncached", entry("request_id", requestId), entry("cause", e.getMessage()));
            return new Lookup(compute.get().value(), CacheOutcome.ERROR);
        }
        Answer hit = decodeOrNull(read.value());
        if (hit != null) {
            return new Lookup(hit.asCached(), CacheOutcome.HIT);
        }
        Fill fill = singleFlight.run(hashKey + '\n' + field,
                () -> fill(hashKey, field, read.generation(), compute, requestId));
        return new Lookup(fill.fromCache() ? fill.value().asCached() : fill.value(), CacheOutcome.MISS);
    }

    /** @param generation the hash's generation when we missed: read before the model is asked, so a later invalidation wins */
    private Fill fill(String hashKey, String field, String generation, Supplier<Computed> compute, String requestId) {
        String lockKey = RecommendationCacheKeys.fillLockKey(hashKey, field);
        String token = UUID.randomUUID().toString();
        boolean locked = false;
        try {
            try {
                locked = cache.tryLock(lockKey, token);
                // A filler that finished between our miss and now has released its lock: look again.
                Answer filled = locked ? decodeOrNull(cache.get(hashKey, field)) : awaitOtherFiller(hashKey, field);
                if (filled != null) {
                    return new Fill(filled, true);
                }
            } catch (CacheUnavailableException e) {
                LOG.warn("cache fill lock failed, computing uncached", entry("request_id", requestId), entry("cause", e.getMessage()));
            }
            Computed computed = compute.get();
            if (computed.cacheable()) {
                try {
                    if (!cache.putIfGeneration(hashKey, field, encode(computed.value()), generation)) {
                        LOG.info("answer not cached: the entry was invalidated while it was computed", entry("request_id", requestId));
                    }
                } catch (CacheUnavailableException e) {
                    LOG.warn("cache write failed", entry("request_id", requestId), entry("cause", e.getMessage()));
                }
            }
            return new Fill(computed.value(), false);
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

    private Answer awaitOtherFiller(String hashKey, String field) throws CacheUnavailableException {
        long deadline = System.nanoTime() + cache.config().fillWait().toNanos();
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
            Answer value = decodeOrNull(cache.get(hashKey, field));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String encode(Answer a) {
        try {
            return Json.MAPPER.writeValueAsString(a);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer decodeOrNull(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(stored, Answer.class);
        } catch (Exception e) {
            return null; // an entry from an incompatible build is just a miss
        }
    }
}
