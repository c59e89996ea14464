package dev.recsys.consumer.health;

import com.codahale.metrics.health.HealthCheck;
import dev.recsys.consumer.realtime.CacheInvalidator;

/** Whether the API's Redis answers: without it, cached answers stay stale until their TTL ends. */
public final class RedisHealthCheck extends HealthCheck {

    private final CacheInvalidator invalidator;

    public RedisHealthCheck(CacheInvalidator invalidator) {
        this.invalidator = invalidator;
    }

    @Override
    protected Result check() {
        return invalidator.ping() ? Result.healthy("Redis answers PING")
                : Result.unhealthy("Redis does not answer PING: cache invalidations fail, answers stay stale up to their TTL");
    }
}
