package dev.recsys.consumer.realtime;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.common.redis.RedisIamAuth;
import io.lettuce.authx.TokenBasedRedisCredentialsProvider;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.authentication.core.IdentityProvider;

/**
 * Invalidates the API's cached answers of users who just interacted, with the generation bump of
 * {@link RecommendationCacheKeys#INVALIDATE} so that no fill computed before the event can land
 * afterwards. Best effort: when Redis is down the cache TTL bounds staleness, and ingestion carries on.
 *
 * <p>The connection is opened by {@link #connect()} at start-up, not by the first event: a fresh JVM
 * on a loaded machine needs hundreds of milliseconds for it, and the first purchase after a deploy
 * must not pay that (it once made the walkthrough's answer a stale cache hit).
 */
public final class CacheInvalidator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheInvalidator.class);

    private final RedisClient client;
    private final TokenBasedRedisCredentialsProvider credentials;
    private final Duration timeout;
    private final long generationTtlMillis;
    private final Meter invalidated;
    private final Meter failures;
    private volatile StatefulRedisConnection<String, String> connection;

    /**
     * @param tokens        the cache user's IAM tokens (refreshed before expiry and sent again on the live
     *                      connection); null: connect without credentials
     * @param generationTtl how long a user's generation counter lives after its last bump; must exceed the
     *                      API's cache TTL (a fill never takes longer than an entry lives)
     */
    public CacheInvalidator(String redisUri, IdentityProvider tokens, Duration timeout, Duration generationTtl,
                            MetricRegistry metrics) {
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(timeout);
        this.credentials = tokens == null ? null : RedisIamAuth.credentials(tokens);
        if (credentials != null) uri.setCredentialsProvider(credentials);
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().reauthenticateBehavior(RedisIamAuth.REAUTHENTICATE).build());
        this.timeout = timeout;
        this.generationTtlMillis = generationTtl.toMillis();
        this.invalidated = metrics.meter("cache.invalidations");
        this.failures = metrics.meter("cache.invalidationFailures");
    }

    /** Opens the connection; at start-up, so that health can say whether Redis is reachable before any event. */
    public void connect() {
        try {
            connection();
            LOG.info("cache invalidation connected to Redis");
        } catch (RuntimeException e) {
            LOG.warn("Redis not reachable at start-up (invalidations retry per event): {}", e.toString());
        }
    }

    /** True when Redis answers PING within the timeout. */
    public boolean ping() {
        try {
            return "PONG".equals(connection().async().ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Invalidates every given user, waiting at most the timeout; never throws.
     *
     * @return the users whose invalidation Redis confirmed
     */
    public Set<String> invalidate(Collection<String> userIds) {
        Set<String> users = new LinkedHashSet<>(userIds);
        Set<String> done = new LinkedHashSet<>();
        if (users.isEmpty()) return done;
        try {
            // One script per user: hash-tagged keys of different users may live on different cluster slots.
            RedisAsyncCommands<String, String> async = connection().async();
            List<String> order = new ArrayList<>(users);
            var futures = order.stream().map(u -> {
                String key = RecommendationCacheKeys.userKey(u);
                return async.<Long>eval(RecommendationCacheKeys.INVALIDATE, ScriptOutputType.INTEGER,
                        new String[] {key, RecommendationCacheKeys.generationKey(key)}, Long.toString(generationTtlMillis));
            }).toList();
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < futures.size(); i++) {
                futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                done.add(order.get(i));
            }
        } catch (Exception e) {
            LOG.warn("cache invalidation of {} users failed (entries expire by TTL): {}", users.size() - done.size(), e.toString());
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        invalidated.mark(done.size());
        failures.mark(users.size() - done.size());
        return done;
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            synchronized (this) {
                c = connection;
                if (c == null || !c.isOpen()) {
                    c = client.connect();
                    connection = c;
                }
            }
        }
        return c;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) c.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (credentials != null) credentials.close();
    }
}
