package dev.recsys.consumer.health;

import com.codahale.metrics.health.HealthCheck;
import dev.recsys.consumer.results.ExperimentResultsJob;
import java.time.Duration;
import java.time.Instant;

/** On the worker that computes the experiment results: whether the last look worked and is recent. */
public final class ResultsHealthCheck extends HealthCheck {

    private final ExperimentResultsJob job;
    private final Duration interval;

    public ResultsHealthCheck(ExperimentResultsJob job, Duration interval) {
        this.job = job;
        this.interval = interval;
    }

    @Override
    protected Result check() {
        ExperimentResultsJob.Status s = job.status();
        if (s == null) return Result.healthy("no look by this worker (another worker computes, or none is due yet)");
        if (s.error() != null) return Result.unhealthy("last look at %s failed: %s", s.at(), s.error());
        if (s.at().isBefore(Instant.now().minus(interval.multipliedBy(5)))) {
            return Result.healthy("last look at %s (this worker no longer computes)", s.at());
        }
        return Result.healthy("last look at %s: %d arms", s.at(), s.arms());
    }
}
