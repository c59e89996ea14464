package dev.recsys.consumer.ingest;

import dev.recsys.common.contract.Contract;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * The consumer's lag as a CloudWatch metric, the signal the fleet scales and alarms on: every interval, one Embedded
 * Metric Format document (aws-embedded-metrics, as {@code ResultsMetrics}) with this worker's maximum MillisBehindLatest
 * over its shards ({@link LagTracker}), named by the contract's {@code metrics.consumer_lag}: its namespace, its metric
 * and the stream dimension. Each worker of the fleet writes its own; CloudWatch's Maximum over them is the fleet's lag.
 * A worker that holds no shard writes nothing. The shard counts and the worker id go along as properties (searchable
 * in the log, not dimensions).
 */
public final class LagMetrics implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(LagMetrics.class);

    /** The contract's names (metrics.consumer_lag): Terraform's scaling policy, alarm and dashboard use the same. */
    public static final Contract.ConsumerLag NAMES = Contract.get().metrics().consumerLag();

    private final LagTracker tracker;
    private final String streamName;
    private final String workerId;
    private final Duration interval;
    private final Supplier<MetricsLogger> loggers;
    private final LongSupplier clock;
    private ScheduledExecutorService timer;

    public LagMetrics(LagTracker tracker, String streamName, String workerId, Duration interval, Supplier<MetricsLogger> loggers,
                      LongSupplier clock) {
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("lag metric interval must be positive");
        this.tracker = tracker;
        this.streamName = streamName;
        this.workerId = workerId;
        this.interval = interval;
        this.loggers = loggers;
        this.clock = clock;
    }

    /**
     * Documents to stdout unless {@code AWS_EMF_ENVIRONMENT} (the library's own switch, set by the task) says otherwise:
     * on ECS the awslogs driver ships them to CloudWatch Logs, which extracts the metric; offline they are log lines.
     */
    public static LagMetrics toStdout(LagTracker tracker, String streamName, String workerId, Duration interval) {
        if (System.getenv(Contract.get().environment().kclConsumer().name("emf_environment")) == null) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
        return new LagMetrics(tracker, streamName, workerId, interval, MetricsLogger::new, System::currentTimeMillis);
    }

    /** Closes the tracker's interval and writes its document. @return the interval written, null when none was */
    public LagTracker.Interval publish() {
        LagTracker.Interval i = tracker.closeInterval(clock.getAsLong());
        if (i == null) return null;
        try {
            MetricsLogger m = loggers.get();
            m.setNamespace(NAMES.namespace());
            m.setDimensions(DimensionSet.of(NAMES.streamDimension(), streamName));
            m.putMetric(NAMES.metric(), i.maxMillisBehindLatest(), Unit.MILLISECONDS);
            m.putProperty("Shards", i.shards());
            m.putProperty("SilentShards", i.silentShards());
            m.putProperty("WorkerId", workerId);
            m.flush();
            return i;
        } catch (RuntimeException e) {
            LOG.warn("lag metric not written: {}", e.toString()); // never stops the next interval
            return null;
        }
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lag-metrics");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        timer.scheduleAtFixedRate(this::publish, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) timer.shutdownNow();
    }
}
