package dev.recsys.api.cache;

import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.common.redis.RedisIamAuth;
import io.lettuce.authx.TokenBasedRedisCredentialsProvider;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import redis.clients.authentication.core.IdentityProvider;

/**
 * The API's Redis: one connection, opened lazily and reused across invocations (Lettuce connections
 * are thread-safe and pipelined). Commands fail fast while disconnected; after a failed connect the
 * cache is skipped for {@code reconnectBackoff} so a dead Redis costs requests nothing.
 *
 * <p>With a cache user, the connection authenticates with IAM tokens from {@code tokens}, refreshed before they
 * expire and sent again on the live connection; the token manager lives with the connection, so a SnapStart
 * checkpoint ({@link #disconnect()}) holds no token and no timer, and the restored function signs a fresh one.
 *
 * <p>Entries carry their own expiry ({@code expiresAtMillis|value}) because Redis < 7.4 cannot expire
 * single hash fields; the hash itself also gets the TTL so idle users disappear entirely.
 */
public final class RedisCache implements AutoCloseable {

    private static final String UNLOCK_IF_OWNER =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final CacheConfig config;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final IdentityProvider tokens;
    private final Object connectLock = new Object();
    private volatile StatefulRedisConnection<String, String> connection;
    private TokenBasedRedisCredentialsProvider credentials;
    private volatile long skipUntilNanos;

    /** Without a cache user (a bare redis-server). */
    public RedisCache(CacheConfig config) {
        this(config, null);
    }

    /** @param tokens the cache user's IAM tokens; required when {@code config} names a user */
    public RedisCache(CacheConfig config, IdentityProvider tokens) {
        if ((config.user() == null) != (tokens == null)) {
            throw new IllegalArgumentException("a cache user and its token source come together");
        }
        this.config = config;
        this.tokens = tokens;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.uri = RedisURI.create(config.redisUrl());
        uri.setTimeout(config.commandTimeout());
        if (config.tls()) {
            uri.setSsl(true);
            uri.setVerifyPeer(true);
        }
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .reauthenticateBehavior(RedisIamAuth.REAUTHENTICATE)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(config.connectTimeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
    }

    public CacheConfig config() {
        return config;
    }

    /** A read: the cached value (null when absent or logically expired) and the hash's generation ("" when none). */
    public record Read(String value, String generation) {}

    /** The cached value, or null when absent or logically expired. */
    public String get(String key, String field) throws CacheUnavailableException {
        return read(key, field).value();
    }

    /** The value and, in the same round trip, the generation a later {@link #putIfGeneration} must still find. */
    public Read read(String key, String field) throws CacheUnavailableException {
        var async = connection().async();
        RedisFuture<String> value = async.hget(key, field);
        RedisFuture<String> generation = async.get(RecommendationCacheKeys.generationKey(key));
        String stored = await(value, "HGET");
        String gen = await(generation, "GET");
        return new Read(unwrap(stored), gen == null ? "" : gen);
    }

    private static String unwrap(String stored) {
        if (stored == null) {
            return null;
        }
        int bar = stored.indexOf('|');
        if (bar <= 0) {
            return null;
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(stored, 0, bar, 10);
        } catch (NumberFormatException e) {
            return null;
        }
        return System.currentTimeMillis() < expiresAt ? stored.substring(bar + 1) : null;
    }

    /**
     * Writes the field only if no invalidation happened since {@code generation} was read
     * (see {@link RecommendationCacheKeys#FILL_IF_GENERATION}).
     *
     * @return false when an invalidation came in between and nothing was written
     */
    public boolean putIfGeneration(String key, String field, String value, String generation) throws CacheUnavailableException {
        long ttlMillis = config.ttl().toMillis();
        Long written = await(connection().async().eval(RecommendationCacheKeys.FILL_IF_GENERATION, ScriptOutputType.INTEGER,
                new String[] {key, RecommendationCacheKeys.generationKey(key)}, generation, field,
                (System.currentTimeMillis() + ttlMillis) + "|" + value, Long.toString(ttlMillis)), "EVAL fill");
        return written != null && written == 1L;
    }

    /** Takes the fill lock if nobody holds it (SET NX PX); the token identifies the owner for release. */
    public boolean tryLock(String lockKey, String token) throws CacheUnavailableException {
        return "OK".equals(await(connection().async().set(lockKey, token,
                SetArgs.Builder.nx().px(config.fillLockTtl().toMillis())), "SET NX"));
    }

    public void unlock(String lockKey, String token) throws CacheUnavailableException {
        await(connection().async().eval(UNLOCK_IF_OWNER, ScriptOutputType.INTEGER, new String[] {lockKey}, token), "EVAL");
    }

    /**
     * Connects and runs every command a request uses (read, conditional fill, lock, unlock) once on a
     * throwaway key, so their first use does not meet the request budgets with cold code (init phase only).
     * A fresh client's first connect can outlast the request path's connect timeout on a loaded machine;
     * init may take longer, so it tries again until {@code deadline}, and a failure here never leaves the
     * first requests in reconnect backoff.
     *
     * @return the last failure, or null when Redis answered every command
     */
    public String warmUp(String hashKey, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        String failure;
        do {
            skipUntilNanos = 0;
            try {
                Read r = read(hashKey, "warm-up");
                putIfGeneration(hashKey, "warm-up", "{}", r.generation());
                String lock = RecommendationCacheKeys.fillLockKey(hashKey, "warm-up");
                if (tryLock(lock, "warm-up")) unlock(lock, "warm-up");
                await(connection().async().del(hashKey), "DEL");
                return null;
            } catch (CacheUnavailableException e) {
                failure = e.getMessage();
            }
        } while (System.nanoTime() - until < 0);
        skipUntilNanos = 0;
        return failure;
    }

    /** True when Redis answers PING within the command timeout. */
    public boolean ping() {
        try {
            return "PONG".equals(await(connection().async().ping(), "PING"));
        } catch (CacheUnavailableException e) {
            return false;
        }
    }

    /** Drops the connection (before a SnapStart/CRaC checkpoint); the next request reconnects. */
    public void disconnect() {
        synchronized (connectLock) {
            StatefulRedisConnection<String, String> c = connection;
            connection = null;
            skipUntilNanos = 0;
            if (c != null) {
                c.close();
            }
            if (credentials != null) {
                credentials.close();
                credentials = null;
            }
        }
    }

    @Override
    public void close() {
        disconnect();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }

    private StatefulRedisConnection<String, String> connection() throws CacheUnavailableException {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            return c;
        }
        if (System.nanoTime() - skipUntilNanos < 0) {
            throw new CacheUnavailableException("redis unavailable (backing off)", null);
        }
        synchronized (connectLock) {
            if (connection != null) {
                return connection;
            }
            try {
                if (tokens != null && credentials == null) {
                    credentials = RedisIamAuth.credentials(tokens);
                    uri.setCredentialsProvider(credentials);
                }
                connection = client.connect();
                return connection;
            } catch (RuntimeException e) {
                skipUntilNanos = System.nanoTime() + config.reconnectBackoff().toNanos();
                throw new CacheUnavailableException("redis connect failed: " + e.getMessage(), e);
            }
        }
    }

    private <T> T await(RedisFuture<T> future, String command) throws CacheUnavailableException {
        try {
            return future.get(config.commandTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException(command + " interrupted", e);
        } catch (Exception e) {
            future.cancel(true);
            throw new CacheUnavailableException(command + " failed: " + e, e);
        }
    }
}
