package dev.recsys.api.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Redis settings. {@code rediss://} turns on TLS (ElastiCache in-transit encryption); {@code user}, when set,
 * is the cache user the API connects as with IAM authentication tokens (no password exists anywhere).
 * Timeouts are short on purpose: a slow cache is treated like a missing one and the request is served uncached.
 *
 * @param user        null: connect without credentials (a test's bare redis-server)
 * @param fillLockTtl how long one caller may hold the right to fill a missing entry
 * @param fillWait    how long the others wait for that fill before computing themselves
 * @param reconnectBackoff after a failed connect, how long requests skip the cache before trying again
 */
public record CacheConfig(String redisUrl, User user, Duration ttl, Duration commandTimeout,
                          Duration connectTimeout, Duration fillLockTtl, Duration fillWait, Duration reconnectBackoff) {

    /**
     * Who the API is to the cache.
     *
     * @param name      the ElastiCache user id (= its name)
     * @param cacheName the replication group id, which the IAM token is signed for
     */
    public record User(String name, String cacheName) {
        public User {
            if (name == null || name.isBlank() || cacheName == null || cacheName.isBlank()) {
                throw new IllegalArgumentException("a cache user needs both its name and the cache's name");
            }
        }
    }

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
        return new CacheConfig(redisUrl, user, newTtl, commandTimeout, connectTimeout, fillLockTtl, fillWait, reconnectBackoff);
    }

    public CacheConfig withFill(Duration lockTtl, Duration wait) {
        return new CacheConfig(redisUrl, user, ttl, commandTimeout, connectTimeout, lockTtl, wait, reconnectBackoff);
    }

    public CacheConfig withUser(User u) {
        return new CacheConfig(redisUrl, u, ttl, commandTimeout, connectTimeout, fillLockTtl, fillWait, reconnectBackoff);
    }

    public boolean tls() {
        return redisUrl.startsWith("rediss://");
    }
}
