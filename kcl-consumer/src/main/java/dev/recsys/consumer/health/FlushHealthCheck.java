package dev.recsys.consumer.health;

import com.codahale.metrics.health.HealthCheck;
import dev.recsys.consumer.ingest.IngestMetrics;
import java.time.Duration;

/** Unhealthy when some shard has held unacknowledged data for too long (a store keeps failing). */
public final class FlushHealthCheck extends HealthCheck {

    private final IngestMetrics metrics;
    private final Duration maxAge;

    public FlushHealthCheck(IngestMetrics metrics, Duration maxAge) {
        this.metrics = metrics;
        this.maxAge = maxAge;
    }

    @Override
    protected Result check() {
        long oldest = metrics.oldestPendingAgeMillis();
        long sinceLast = System.currentTimeMillis() - metrics.lastSuccessfulFlush();
        if (oldest > maxAge.toMillis()) {
            return Result.unhealthy("oldest unflushed data is %d ms old (limit %d ms); last successful flush %d ms ago",
                    oldest, maxAge.toMillis(), sinceLast);
        }
        return Result.healthy("oldest unflushed data %d ms; last successful flush %d ms ago", oldest, sinceLast);
    }
}
