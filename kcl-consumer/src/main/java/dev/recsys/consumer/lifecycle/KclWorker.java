package dev.recsys.consumer.lifecycle;

import dev.recsys.consumer.config.KclSettings;
import io.dropwizard.lifecycle.Managed;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.RetrievalConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * Hosts the KCL {@link Scheduler} in a Dropwizard lifecycle. Stopping (SIGTERM on ECS) starts the
 * KCL's graceful shutdown, which calls every processor's {@code shutdownRequested} so buffered
 * records are flushed and checkpointed before the task exits.
 */
public final class KclWorker implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(KclWorker.class);

    private static final long HARD_STOP_MILLIS = 5_000;

    private final Scheduler scheduler;
    private final KclSettings settings;
    private final String workerId;
    private Thread thread;

    public KclWorker(KclSettings settings, KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo,
                     CloudWatchAsyncClient cloudWatch, ShardRecordProcessorFactory processors) {
        this.settings = settings;
        this.workerId = settings.workerId == null || settings.workerId.isBlank()
                ? hostName() + "-" + UUID.randomUUID() : settings.workerId;
        InitialPositionInStreamExtended initial = InitialPositionInStreamExtended.newInitialPosition(
                settings.initialPosition == KclSettings.InitialPosition.LATEST
                        ? InitialPositionInStream.LATEST : InitialPositionInStream.TRIM_HORIZON);
        ConfigsBuilder configs = new ConfigsBuilder(
                new SingleStreamTracker(StreamIdentifier.singleStreamInstance(settings.streamName), initial),
                settings.applicationName, kinesis, dynamo, cloudWatch, workerId, processors);

        RetrievalConfig retrieval = configs.retrievalConfig();
        if (settings.retrievalMode == KclSettings.RetrievalMode.POLLING) {
            retrieval.retrievalSpecificConfig(new PollingConfig(settings.streamName, kinesis)
                    .maxRecords(settings.maxRecordsPerGet)
                    .idleTimeBetweenReadsInMillis(settings.idleTimeBetweenReadsMillis));
        } else {
            retrieval.retrievalSpecificConfig(new FanOutConfig(kinesis)
                    .streamName(settings.streamName).applicationName(settings.applicationName));
        }
        this.scheduler = new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig(),
                configs.leaseManagementConfig()
                        .failoverTimeMillis(settings.failoverTimeMillis)
                        .shardSyncIntervalMillis(settings.shardSyncIntervalMillis),
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE),
                // Empty calls let time-based flushes run on an idle shard.
                configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true),
                retrieval);
    }

    public String workerId() {
        return workerId;
    }

    /**
     * True on the worker that holds the lease of the first shard (by lease key): one worker of the fleet
     * for fleet-wide jobs, without an election of our own; it moves with the lease on a takeover.
     */
    public boolean holdsFirstLease() {
        try {
            return scheduler.leaseRefresher().listLeases().stream()
                    .min(java.util.Comparator.comparing(Lease::leaseKey))
                    .map(l -> workerId.equals(l.leaseOwner())).orElse(false);
        } catch (Exception e) {
            return false;
        }
    }

    public boolean isRunning() {
        return thread != null && thread.isAlive() && !scheduler.shutdownComplete();
    }

    @Override
    public void start() {
        thread = new Thread(scheduler, "kcl-scheduler");
        thread.setDaemon(true); // the lifecycle, not this thread, decides when the JVM may exit
        thread.start();
        LOG.info("KCL worker {} started on stream {} (application {}, {} retrieval)", workerId,
                settings.streamName, settings.applicationName, settings.retrievalMode);
    }

    /**
     * Bounded in every step, so the task always exits within ECS's stop timeout: the graceful part
     * gets {@code gracefulShutdownMillis}, a hard stop at most {@value #HARD_STOP_MILLIS} ms more. Data
     * not checkpointed by then is simply replayed by the next owner (every store is idempotent).
     */
    @Override
    public void stop() throws Exception {
        LOG.info("graceful shutdown: flushing and checkpointing every shard");
        boolean clean = false;
        try {
            Future<Boolean> done = scheduler.startGracefulShutdown();
            clean = done.get(settings.gracefulShutdownMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("graceful shutdown took longer than {} ms; stopping anyway", settings.gracefulShutdownMillis);
        } catch (java.util.concurrent.ExecutionException | IllegalStateException e) {
            LOG.warn("graceful shutdown failed ({}); stopping anyway", e.toString());
        }
        if (clean) {
            releaseLeases();
        } else {
            // Scheduler.shutdown() can block on calls to unreachable services: give it a bounded side thread.
            Thread hard = new Thread(scheduler::shutdown, "kcl-hard-stop");
            hard.setDaemon(true);
            hard.start();
            hard.join(HARD_STOP_MILLIS);
        }
        thread.join(HARD_STOP_MILLIS);
        LOG.info("KCL worker stopped ({})", clean ? "all shards checkpointed" : "unflushed data will be replayed");
    }

    /**
     * KCL 2.x forgets its leases on shutdown but leaves itself their owner in the lease table, so a
     * successor may take them only once they expire (failover time, seen twice by its lease taker: 4-5 s
     * locally, 20-40 s with defaults). That gap was the slow first minute after a redeploy. Every shard
     * is checkpointed at this point, so hand the leases back: an ownerless lease is taken at once.
     */
    private void releaseLeases() {
        try {
            int released = 0;
            for (Lease lease : scheduler.leaseRefresher().listLeases()) {
                if (workerId.equals(lease.leaseOwner()) && scheduler.leaseRefresher().evictLease(lease)) released++;
            }
            LOG.info("released {} lease(s) for immediate takeover", released);
        } catch (Exception e) {
            LOG.warn("could not release leases (they expire after the failover time instead): {}", e.toString());
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "worker";
        }
    }
}
