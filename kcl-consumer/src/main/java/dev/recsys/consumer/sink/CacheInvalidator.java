package dev.recsys.consumer.sink;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.consumer.ingest.IngestedRecord.Accepted;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the cached recommendations of every user who just interacted, so their next API request
 * reflects the new event. Best effort: when Redis is down the cache TTL bounds staleness, and
 * ingestion carries on.
 */
public final class CacheInvalidator implements StoredEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(CacheInvalidator.class);

    private final RedisClient client;
    private final Duration timeout;
    private final Meter invalidated;
    private final Meter failures;
    private volatile StatefulRedisConnection<String, String> connection;

    public CacheInvalidator(String redisUri, Duration timeout, MetricRegistry metrics) {
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(timeout);
        this.client = RedisClient.create(uri);
        this.timeout = timeout;
        this.invalidated = metrics.meter("cache.invalidations");
        this.failures = metrics.meter("cache.invalidationFailures");
    }

    @Override
    public void onStored(List<Accepted> firstSeen) {
        Set<String> keys = new LinkedHashSet<>();
        for (Accepted a : firstSeen) keys.add(RecommendationCacheKeys.userKey(a.event().userId()));
        if (keys.isEmpty()) return;
        try {
            // One DEL per user: hash-tagged keys may live on different cluster slots.
            var async = connection().async();
            var futures = keys.stream().map(async::del).toList();
            for (var f : futures) f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            invalidated.mark(keys.size());
        } catch (Exception e) {
            failures.mark(keys.size());
            LOG.warn("cache invalidation of {} users failed (entries expire by TTL): {}", keys.size(), e.toString());
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
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
    }
}
