package dev.recsys.api.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Redis settings. {@code rediss://} turns on TLS (ElastiCache in-transit encryption); {@code authToken}
 * is the ElastiCache AUTH token (or Redis password). Timeouts are short on purpose: a slow cache is
 * treated like a missing one and the request is served uncached.
 *
 * @param fillLockTtl how long one caller may hold the right to fill a missing entry
 * @param fillWait    how long the others wait for that fill before computing themselves
 * @param reconnectBackoff after a failed connect, how long requests skip the cache before trying again
 */
public record CacheConfig(String redisUrl, String authToken, Duration ttl, Duration commandTimeout,
                          Duration connectTimeout, Duration fillLockTtl, Duration fillWait, Duration reconnectBackoff) {

    public CacheConfig {
        Objects.requireNonNull(redisUrl, "redisUrl");
        if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new IllegalArgumentException("redis URL must start with redis:// or rediss://: " + redisUrl);
        }
        for (Duration d : new Duration[] {ttl, commandTimeout, connectTimeout, fillLockTtl, fillWait, reconnectBackoff}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("cache durations must be positive");
            }
        }
    }

    public static CacheConfig defaults(String redisUrl) {
        return new CacheConfig(redisUrl, null, Duration.ofMinutes(5), Duration.ofMillis(50), Duration.ofMillis(500),
                Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(1));
    }

    public CacheConfig withTtl(Duration newTtl) {
        return new CacheConfig(redisUrl, authToken, newTtl, commandTimeout, connectTimeout, fillLockTtl, fillWait, reconnectBackoff);
    }

    public CacheConfig withFill(Duration lockTtl, Duration wait) {
        return new CacheConfig(redisUrl, authToken, ttl, commandTimeout, connectTimeout, lockTtl, wait, reconnectBackoff);
    }

    public boolean tls() {
        return redisUrl.startsWith("rediss://");
    }
}
