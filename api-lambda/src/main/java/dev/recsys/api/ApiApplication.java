package dev.recsys.api;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import dev.recsys.api.cache.CacheAside;
import dev.recsys.api.cache.CacheConfig;
import dev.recsys.api.cache.RedisCache;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.core.RecommendationService;
import dev.recsys.api.core.Recommender;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.fallback.PopularItems;
import dev.recsys.api.aws.ApiAwsClients;
import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.api.core.ExperimentReport;
import dev.recsys.api.core.ExperimentResults;
import dev.recsys.api.core.Exposures;
import dev.recsys.api.experiments.DynamoExperimentResults;
import dev.recsys.api.core.ItemHistory;
import dev.recsys.api.core.ItemCatalog;
import dev.recsys.api.core.UserAttributes;
import dev.recsys.api.core.ModelRequest;
import dev.recsys.api.core.UserInteractions;
import dev.recsys.api.catalog.DynamoItemCatalog;
import dev.recsys.api.catalog.DynamoUserAttributes;
import dev.recsys.api.history.DynamoUserInteractions;
import dev.recsys.api.exposure.KinesisExposureLog;
import dev.recsys.api.published.PublishedDocument;
import dev.recsys.api.published.S3Fetcher;
import dev.recsys.api.ab.ServedSplit;
import dev.recsys.common.experiment.ExperimentSplit;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.api.history.DynamoItemHistory;
import dev.recsys.api.history.DynamoUserHistory;
import dev.recsys.api.http.ApiRouter;
import dev.recsys.api.core.RequestLog;
import dev.recsys.api.metrics.RequestMetrics;
import dev.recsys.api.personalize.PersonalizeRecommender;
import dev.recsys.api.resilience.GuardedRecommender;
import dev.recsys.common.redis.IamAuthTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.authentication.core.IdentityProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The API wired together once per process (Lambda init phase, outside the handler): config,
 * clients, cache, resilience, fallback list. Registered with CRaC so a SnapStart snapshot never
 * carries a live Redis socket and a restored instance re-reads the fallback list.
 */
public final class ApiApplication implements AutoCloseable, Resource {

    private static final Logger LOG = LoggerFactory.getLogger(ApiApplication.class);
    private static final Duration BACKGROUND_TIMEOUT = Duration.ofSeconds(5);
    /** Init may wait for Redis longer than a request would (Lambda's init phase has 10 s). */
    private static final Duration INIT_CACHE_DEADLINE = Duration.ofSeconds(3);

    private static final String PRIME_USER = "recsys-prime";

    /**
     * What the core talks to. Production builds them on the SDK ({@link #create(ApiConfig, ApiAwsClients.Endpoints, RequestLog)});
     * tests and benchmarks pass their own.
     */
    public record Adapters(Recommender recommender, PublishedDocument.Fetcher fallbackList, PublishedDocument.Fetcher split,
                           UserHistory users, ItemHistory items, Exposures exposures, ExperimentResults experiments,
                           ItemCatalog catalog, UserInteractions interactions, UserAttributes userAttributes) {
        public Adapters withExposures(Exposures e) {
            return new Adapters(recommender, fallbackList, split, users, items, e, experiments, catalog, interactions, userAttributes);
        }

        public Adapters withItems(ItemHistory i) {
            return new Adapters(recommender, fallbackList, split, users, i, exposures, experiments, catalog, interactions, userAttributes);
        }

        public Adapters withExperiments(ExperimentResults x) {
            return new Adapters(recommender, fallbackList, split, users, items, exposures, x, catalog, interactions, userAttributes);
        }

        public Adapters withSplit(PublishedDocument.Fetcher s) {
            return new Adapters(recommender, fallbackList, s, users, items, exposures, experiments, catalog, interactions, userAttributes);
        }

        /** The catalog, the users' histories and their metadata that fallback answers are filtered with. */
        public Adapters withCatalog(ItemCatalog c, UserInteractions h, UserAttributes u) {
            return new Adapters(recommender, fallbackList, split, users, items, exposures, experiments, c, h, u);
        }
    }

    private final ApiRouter router;
    private final RedisCache cache;
    private final GuardedRecommender model;
    private final PublishedDocument<PopularItems> popular;
    private final PublishedDocument<ServedSplit> split;
    private final KinesisExposureLog exposureLog;
    private final ExecutorService background;
    private final List<AutoCloseable> closeables;

    private ApiApplication(ApiConfig config, Adapters adapters, RequestLog requests, List<AutoCloseable> closeables,
                           IdentityProvider cacheTokens) {
        this.closeables = new ArrayList<>(closeables);
        this.exposureLog = adapters.exposures() instanceof KinesisExposureLog k ? k : null;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fallback-refresh");
            t.setDaemon(true);
            return t;
        });
        this.popular = new PublishedDocument<>("fallback list", config.staticFallback(), adapters.fallbackList(),
                PopularItems::parse, PopularItems::modelVersion, config.fallbackRefresh().toNanos(), background);
        popular.refreshNow();
        // A split the pipeline published (a promoted winner) replaces the deployed one.
        this.split = new PublishedDocument<>("experiment split", ServedSplit.deployed(config.experiment(), config.variants()),
                adapters.split(), doc -> ServedSplit.published(ExperimentSplit.parse(doc)), ServedSplit::experiment,
                config.fallbackRefresh().toNanos(), background);
        split.refreshNow();
        this.model = new GuardedRecommender(adapters.recommender(), config.resilience());
        this.cache = config.cache() == null ? null : new RedisCache(config.cache(), cacheTokens);
        CacheAside cacheAside = cache == null ? null : new CacheAside(cache);
        RecommendationService service = new RecommendationService(split::current,
                new RecommendationService.Campaigns(config.similarCampaignArn(), config.rankingCampaignArn(), config.trendingCampaignArn()),
                config.filters(), config.promotions(), model, popular::current, adapters.users(), adapters.items(),
                new RecommendationService.Catalog(adapters.catalog(), adapters.interactions(), adapters.userAttributes()),
                cacheAside, adapters.exposures(), Clock.systemUTC());
        this.router = new ApiRouter(service, new ExperimentReport(adapters.experiments()), this::health, config.cors(),
                config.access(), config.maxBodyBytes(), requests);
        if (config.access().mode() == dev.recsys.api.http.Access.Mode.NONE) {
            LOG.warn("caller identity is not checked: auth mode none (any caller may ask for any user)");
        }
        Core.getGlobalContext().register(this);
    }

    /**
     * Opens connections and loads the classes of every dependency's path now, in the init phase (and so
     * into a SnapStart snapshot), not in the first request: a cold SDK client or Lettuce connection takes
     * longer than the 250 ms model budget and the 50 ms cache budget, which turned first answers into
     * fallbacks and first fills into failed writes. Outcomes are ignored: this only warms.
     */
    private void prime(ApiConfig config, Adapters adapters, RequestLog requests) {
        requests.warm();
        if (cache != null) {
            String failure = cache.warmUp(RecommendationCacheKeys.userKey(PRIME_USER), INIT_CACHE_DEADLINE);
            if (failure != null) LOG.warn("cache not reachable at init; requests are served uncached until it is", entry("cause", failure));
        }
        try {
            adapters.users().hasHistory(PRIME_USER);
            adapters.items().isKnown(PRIME_USER);
        } catch (RuntimeException e) {
            // warming only
        }
        try {
            adapters.recommender().recommend(ModelRequest.plain(config.variants().get(0).campaignArn(), PRIME_USER, null, 1));
        } catch (RuntimeException e) {
            // warming only: before the first training there is no campaign, and that is fine
        }
    }

    /**
     * Production wiring: Personalize, S3, DynamoDB and Kinesis through the SDK (endpoints overridden offline).
     *
     * @param requests where each finished request is reported: {@link RequestMetrics#emf} on Lambda
     */
    public static ApiApplication create(ApiConfig config, ApiAwsClients.Endpoints endpoints, RequestLog requests) {
        Duration timeout = config.resilience().timeout();
        SdkHttpClient requestPath = ApiAwsClients.httpClient(timeout);
        SdkHttpClient background = ApiAwsClients.httpClient(BACKGROUND_TIMEOUT);
        List<AutoCloseable> closeables = new ArrayList<>(List.of(requestPath, background));
        var personalize = ApiAwsClients.personalize(endpoints, requestPath, ApiAwsClients.onRequestPath(timeout));
        closeables.add(personalize);
        PublishedDocument.Fetcher fetcher = () -> null;
        PublishedDocument.Fetcher splitFetcher = () -> null;
        if (config.fallbackBucket() != null) {
            S3Client s3 = ApiAwsClients.s3(endpoints, background, ApiAwsClients.inBackground(BACKGROUND_TIMEOUT));
            closeables.add(s3);
            fetcher = new S3Fetcher(s3, config.fallbackBucket(), config.fallbackKey());
            splitFetcher = new S3Fetcher(s3, config.fallbackBucket(), S3Layout.EXPERIMENT_CONFIG_KEY);
        }
        UserHistory users = UserHistory.ASSUME_KNOWN;
        ItemHistory items = ItemHistory.ASSUME_KNOWN;
        ItemCatalog catalog = ItemCatalog.NONE;
        UserInteractions interactions = UserInteractions.NONE;
        UserAttributes userAttributes = UserAttributes.NONE;
        ExperimentResults experiments = null;
        if (config.userProfilesTable() != null || config.interactionsTable() != null || config.itemsTable() != null
                || config.usersTable() != null) {
            DynamoDbClient dynamo = ApiAwsClients.dynamoDb(endpoints, requestPath, ApiAwsClients.onRequestPath(timeout));
            closeables.add(dynamo);
            if (config.userProfilesTable() != null) users = new DynamoUserHistory(dynamo, config.userProfilesTable());
            if (config.interactionsTable() != null) {
                items = new DynamoItemHistory(dynamo, config.interactionsTable());
                interactions = new DynamoUserInteractions(dynamo, config.interactionsTable());
            }
            if (config.itemsTable() != null) catalog = new DynamoItemCatalog(dynamo, config.itemsTable());
            if (config.usersTable() != null) userAttributes = new DynamoUserAttributes(dynamo, config.usersTable());
        }
        if (config.experimentsTable() != null) {
            // Not on a recommendation's path: a report may take longer than the model budget.
            DynamoDbClient reports = ApiAwsClients.dynamoDb(endpoints, background, ApiAwsClients.inBackground(BACKGROUND_TIMEOUT));
            closeables.add(reports);
            experiments = new DynamoExperimentResults(reports, config.experimentsTable());
        }
        Exposures exposures = Exposures.NONE;
        if (config.exposures() != null) {
            ApiConfig.ExposureConfig x = config.exposures();
            KinesisClient kinesis = ApiAwsClients.kinesis(endpoints, background, ApiAwsClients.inBackground(BACKGROUND_TIMEOUT));
            KinesisExposureLog exposureLog = new KinesisExposureLog(kinesis, x.stream(), x.capacity(), x.linger(), x.attempts());
            closeables.add(0, exposureLog); // closed (drained) before its client
            closeables.add(kinesis);
            exposures = exposureLog;
        }
        Adapters adapters = new Adapters(new PersonalizeRecommender(personalize), fetcher, splitFetcher, users, items, exposures,
                experiments, catalog, interactions, userAttributes);
        CacheConfig.User cacheUser = config.cache() == null ? null : config.cache().user();
        IdentityProvider cacheTokens = cacheUser == null ? null
                : IamAuthTokens.of(cacheUser.cacheName(), cacheUser.name(), endpoints.region().id(), endpoints.credentials());
        ApiApplication app = new ApiApplication(config, adapters, requests, closeables, cacheTokens);
        app.prime(config, adapters, requests);
        return app;
    }

    /** Wiring with given adapters (tests, benchmarks). */
    public static ApiApplication create(ApiConfig config, Adapters adapters, RequestLog requests) {
        return new ApiApplication(config, adapters, requests,
                adapters.exposures() instanceof AutoCloseable c ? List.of(c) : List.of(), null);
    }

    /** Wiring with a given model, fallback publisher and history; items all known, no exposures. */
    public static ApiApplication create(ApiConfig config, Recommender recommender, PublishedDocument.Fetcher fetcher,
                                        UserHistory history, RequestLog requests) {
        return create(config, new Adapters(recommender, fetcher, () -> null, history, ItemHistory.ASSUME_KNOWN, Exposures.NONE,
                null, ItemCatalog.NONE, UserInteractions.NONE, UserAttributes.NONE), requests);
    }

    /** Sends the queued exposures, at most {@code budget} (the Lambda post-invoke hook). */
    public void drainExposures(Duration budget) throws InterruptedException {
        if (exposureLog != null) exposureLog.drain(budget);
    }

    public ApiRouter router() {
        return router;
    }

    /** GET /health: always 200; "degraded" names what is impaired (the API still answers). */
    private Map<String, Object> health() {
        PopularItems current = popular.current();
        String breaker = model.breakerState();
        String cacheState = cache == null ? "disabled" : cache.ping() ? "up" : "down";
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", breaker.equals("CLOSED") && !cacheState.equals("down") ? "ok" : "degraded");
        h.put("breaker", breaker);
        h.put("cache", cacheState);
        h.put("model_version", current.modelVersion());
        h.put("experiment", split.current().experiment());
        h.put("fallback_items", current.items().size());
        h.put("fallback_generated_at", current.generatedAt());
        if (exposureLog != null) {
            KinesisExposureLog.Stats x = exposureLog.stats();
            h.put("exposures", Map.of("recorded", x.recorded(), "sent", x.sent(), "dropped", x.dropped(), "queued", x.queued()));
        }
        return h;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        if (cache != null) {
            cache.disconnect();
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        popular.markStale();
        split.markStale();
        if (cache != null) cache.ping(); // reconnect now rather than in the first restored request
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
        model.close();
        background.shutdownNow();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // closing on shutdown: nothing left to do with the error
            }
        }
    }
}
