package dev.recsys.consumer.health;

import com.codahale.metrics.health.HealthCheck;
import dev.recsys.consumer.ingest.IngestMetrics;
import dev.recsys.consumer.lifecycle.KclWorker;

/** Healthy while the KCL scheduler runs; reports how many shard leases this worker holds. */
public final class SchedulerHealthCheck extends HealthCheck {

    private final KclWorker worker;
    private final IngestMetrics metrics;

    public SchedulerHealthCheck(KclWorker worker, IngestMetrics metrics) {
        this.worker = worker;
        this.metrics = metrics;
    }

    @Override
    protected Result check() {
        if (!worker.isRunning()) {
            return Result.unhealthy("KCL scheduler of worker %s is not running", worker.workerId());
        }
        // Zero leases is healthy: a fleet larger than the shard count has idle standbys.
        return Result.healthy("worker %s holds %d shard lease(s); lag %d ms %s", worker.workerId(),
                metrics.leasesHeld.getCount(), metrics.maxLagMillis(), metrics.lagByShard());
    }
}
