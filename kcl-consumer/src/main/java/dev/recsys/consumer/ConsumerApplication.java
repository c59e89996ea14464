package dev.recsys.consumer;

import dev.recsys.common.event.EventParser;
import dev.recsys.common.experiment.ResultsCalculator;
import dev.recsys.consumer.attribution.Attributor;
import dev.recsys.consumer.attribution.Impressions;
import dev.recsys.consumer.aws.AwsRequestMetrics;
import dev.recsys.consumer.aws.ConsumerAwsClients;
import dev.recsys.consumer.config.ConsumerConfiguration;
import dev.recsys.consumer.config.ExperimentSettings;
import dev.recsys.consumer.config.FileOrClasspathSourceProvider;
import dev.recsys.consumer.config.RealtimeSettings;
import dev.recsys.consumer.health.EventTrackerHealthCheck;
import dev.recsys.consumer.health.FlushHealthCheck;
import dev.recsys.consumer.health.RedisHealthCheck;
import dev.recsys.consumer.health.ResultsHealthCheck;
import dev.recsys.consumer.health.SchedulerHealthCheck;
import dev.recsys.consumer.ingest.FlushPolicy;
import dev.recsys.consumer.ingest.IngestMetrics;
import dev.recsys.consumer.ingest.LagMetrics;
import dev.recsys.consumer.ingest.ShardIngestor;
import dev.recsys.consumer.ingest.ShardWriteOrder;
import dev.recsys.consumer.ingest.Sinks;
import dev.recsys.consumer.lifecycle.KclWorker;
import dev.recsys.consumer.lifecycle.StoreBootstrap;
import dev.recsys.consumer.processor.Backoff;
import dev.recsys.consumer.processor.InteractionProcessorFactory;
import dev.recsys.consumer.realtime.CacheInvalidator;
import dev.recsys.consumer.realtime.Invalidations;
import dev.recsys.consumer.realtime.PersonalizeEventForwarder;
import dev.recsys.consumer.realtime.PersonalizeItemForwarder;
import dev.recsys.consumer.realtime.PersonalizeUserForwarder;
import dev.recsys.consumer.results.ExperimentResultsJob;
import dev.recsys.consumer.results.ResultsMetrics;
import dev.recsys.consumer.sink.DynamoExperimentStore;
import dev.recsys.consumer.sink.DynamoExposureLookup;
import dev.recsys.consumer.sink.DynamoExposureStore;
import dev.recsys.consumer.sink.DynamoInteractionStore;
import dev.recsys.consumer.sink.DynamoItemStore;
import dev.recsys.consumer.sink.DynamoProfileStore;
import dev.recsys.consumer.sink.DynamoUserStore;
import dev.recsys.consumer.sink.Retrier;
import dev.recsys.consumer.sink.S3ArchiveStore;
import dev.recsys.consumer.sink.StoredEventListener;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import redis.clients.authentication.core.IdentityProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The ingestion service: one KCL worker per task, landing every event in DynamoDB and S3.
 * Run: {@code java -jar kcl-consumer.jar server consumer.yml} (the jar ships a consumer.yml whose
 * values all come from environment variables with offline-friendly defaults).
 */
public class ConsumerApplication extends Application<ConsumerConfiguration> {

    private final List<ExecutionInterceptor> dataInterceptors;

    public ConsumerApplication() {
        this(List.of());
    }

    /** @param dataInterceptors SDK interceptors on the data-store clients (tests inject faults with them) */
    public ConsumerApplication(List<ExecutionInterceptor> dataInterceptors) {
        this.dataInterceptors = dataInterceptors;
    }

    public static void main(String[] args) throws Exception {
        new ConsumerApplication().run(args.length == 0 ? new String[] {"server", "consumer.yml"} : args);
    }

    @Override
    public String getName() {
        return "kcl-consumer";
    }

    @Override
    public void initialize(Bootstrap<ConsumerConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                new FileOrClasspathSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(ConsumerConfiguration config, Environment environment) {
        List<ExecutionInterceptor> interceptors = new ArrayList<>(dataInterceptors);
        interceptors.add(new AwsRequestMetrics(environment.metrics()));
        ConsumerAwsClients clients = new ConsumerAwsClients(config.aws, interceptors);
        DynamoDbAsyncClient dataDynamo = clients.dataDynamoDb();
        S3AsyncClient s3 = clients.s3();
        if (config.stores.createIfMissing) {
            StoreBootstrap.ensure(dataDynamo, s3, config.stores);
        }
        IngestMetrics metrics = new IngestMetrics(environment.metrics());
        Retrier dynamoRetry = new Retrier("dynamodb", config.retry);
        Retrier s3Retry = new Retrier("s3", config.retry);
        Clock clock = Clock.systemUTC();
        ExecutorService storeCalls = environment.lifecycle().executorService("dynamodb-batch-%d")
                .minThreads(config.flush.storeConcurrency).maxThreads(config.flush.storeConcurrency).build();
        // Registered before the worker, so stopped after it: the graceful shutdown still completes windows on it.
        ExecutorService checkpointTier = environment.lifecycle().executorService("checkpoint-tier-%d")
                .minThreads(config.flush.checkpointThreads).maxThreads(config.flush.checkpointThreads).build();
        ShardWriteOrder checkpointOrder = new ShardWriteOrder(checkpointTier);

        DynamoExposureLookup exposureLookup = new DynamoExposureLookup(dataDynamo, config.stores.exposuresTable, dynamoRetry);
        // Impressions for the tracker are best effort: one retry, so a DynamoDB hiccup never stalls forwarding.
        Impressions impressions = new DynamoExposureLookup(dataDynamo, config.stores.exposuresTable,
                new Retrier("dynamodb-impressions", config.retry.withMaxAttempts(2)));
        List<StoredEventListener> listeners = realtime(config.realtime, clients, impressions, environment);
        ExperimentSettings x = config.experiments;
        Sinks sinks = new Sinks(
                new DynamoInteractionStore(dataDynamo, config.stores.interactionsTable, config.stores.interactionTtlDays,
                        dynamoRetry, clock, storeCalls),
                new DynamoExposureStore(dataDynamo, config.stores.exposuresTable, x.ttlDays, dynamoRetry, storeCalls),
                new DynamoItemStore(dataDynamo, config.stores.itemsTable, dynamoRetry),
                new DynamoUserStore(dataDynamo, config.stores.usersTable, dynamoRetry),
                List.copyOf(listeners),
                new DynamoProfileStore(dataDynamo, config.stores.userProfilesTable, dynamoRetry, clock),
                new S3ArchiveStore(s3, config.stores.bucket, s3Retry),
                new Attributor(x.attributionPolicy(), exposureLookup),
                new DynamoExperimentStore(dataDynamo, config.stores.experimentUsersTable, x.ttlDays, dynamoRetry, clock));
        environment.metrics().gauge("attribution.unattributed", () -> sinks.attribution()::unattributed);
        FlushPolicy policy = FlushPolicy.from(config.flush);
        Backoff backoff = new Backoff(config.retry.initialBackoff.toMilliseconds(), config.retry.maxBackoff.toMilliseconds(),
                config.kcl.gracefulShutdownMillis * 2 / 3);
        InteractionProcessorFactory processors = new InteractionProcessorFactory(new EventParser(config.eventLimits(), clock),
                shardId -> new ShardIngestor(shardId, sinks, policy, clock, metrics, checkpointOrder), metrics, backoff);

        KclWorker worker = new KclWorker(config.kcl, clients.kinesis(), clients.leaseDynamoDb(), clients.cloudWatch(), processors);
        // Registered first so it stops last: the worker's graceful shutdown still needs the clients.
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                listeners.forEach(StoredEventListener::close);
                clients.close();
            }
        });
        environment.lifecycle().manage(worker);
        // The scaling and alarm signal (contract metrics.consumer_lag), for polling and enhanced fan-out alike.
        environment.lifecycle().manage(LagMetrics.toStdout(metrics.millisBehindLatest, config.kcl.streamName, worker.workerId(),
                config.lagMetricInterval.toJavaDuration()));
        ExperimentResultsJob results = new ExperimentResultsJob(dataDynamo, config.stores.experimentUsersTable,
                config.stores.experimentsTable, new ResultsCalculator(x.decisionConfig(), blankToNull(x.controlVariant)),
                ResultsMetrics.toStdout(), worker::holdsFirstLease, x.resultsInterval.toJavaDuration(), clock);
        environment.lifecycle().manage(results);
        environment.healthChecks().register("experiment-results", new ResultsHealthCheck(results, x.resultsInterval.toJavaDuration()));
        environment.healthChecks().register("kcl-scheduler", new SchedulerHealthCheck(worker, metrics));
        environment.healthChecks().register("flush-age", new FlushHealthCheck(metrics, config.maxFlushAge.toJavaDuration()));
    }

    /**
     * Real-time side effects, connected now rather than on the first event. With a tracker the cache is
     * invalidated after the tracker has a user's events, so the next answer is computed with them.
     */
    private static List<StoredEventListener> realtime(RealtimeSettings s, ConsumerAwsClients clients, Impressions impressions,
                                                      Environment environment) {
        Invalidations invalidations = null;
        if (notBlank(s.redisUri)) {
            IdentityProvider tokens = notBlank(s.redisUser) ? clients.cacheTokens(s.redisCacheName, s.redisUser) : null;
            CacheInvalidator invalidator = new CacheInvalidator(s.redisUri, tokens, s.redisTimeout.toJavaDuration(),
                    s.cacheGenerationTtl.toJavaDuration(), environment.metrics());
            invalidator.connect();
            environment.healthChecks().register("redis", new RedisHealthCheck(invalidator));
            invalidations = new Invalidations(invalidator, notBlank(s.eventTrackingId));
        }
        List<StoredEventListener> listeners = new ArrayList<>();
        if (notBlank(s.eventTrackingId)) {
            Consumer<String> after = invalidations == null ? user -> { } : invalidations::afterForward;
            PersonalizeEventForwarder forwarder = new PersonalizeEventForwarder(clients.personalizeEvents(), s.eventTrackingId,
                    s.eventQueueCapacity, s.eventSendAttempts, s.eventMaxInFlight, s.eventCallTimeout.toJavaDuration(),
                    after, impressions, environment.metrics());
            forwarder.start();
            environment.healthChecks().register("event-tracker", new EventTrackerHealthCheck(forwarder));
            listeners.add(forwarder);
        }
        if (notBlank(s.itemsDatasetArn)) {
            PersonalizeItemForwarder items = new PersonalizeItemForwarder(clients.personalizeEvents(), s.itemsDatasetArn,
                    s.eventQueueCapacity, s.eventSendAttempts, s.eventMaxInFlight, s.eventCallTimeout.toJavaDuration(),
                    environment.metrics());
            items.start();
            listeners.add(items);
        }
        if (notBlank(s.usersDatasetArn)) {
            PersonalizeUserForwarder users = new PersonalizeUserForwarder(clients.personalizeEvents(), s.usersDatasetArn,
                    s.eventQueueCapacity, s.eventSendAttempts, s.eventMaxInFlight, s.eventCallTimeout.toJavaDuration(),
                    environment.metrics());
            users.start();
            listeners.add(users);
        }
        // Closed after the forwarders (listeners close in order): their last calls still invalidate.
        if (invalidations != null) listeners.add(invalidations);
        return List.copyOf(listeners);
    }

    private static String blankToNull(String s) {
        return notBlank(s) ? s : null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
