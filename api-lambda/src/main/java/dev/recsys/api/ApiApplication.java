package dev.recsys.api;

import dev.recsys.api.ab.VariantAssigner;
import dev.recsys.api.cache.CacheAside;
import dev.recsys.api.cache.RedisCache;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.core.Answer;
import dev.recsys.api.core.RecommendationService;
import dev.recsys.api.core.Recommender;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.fallback.PopularItems;
import dev.recsys.api.fallback.PopularItemsSource;
import dev.recsys.api.fallback.S3Fetcher;
import dev.recsys.api.history.DynamoUserHistory;
import dev.recsys.api.http.ApiRouter;
import dev.recsys.api.http.Json;
import dev.recsys.api.metrics.LogSink;
import dev.recsys.api.personalize.AwsClients;
import dev.recsys.api.personalize.PersonalizeRecommender;
import dev.recsys.api.personalize.SignedHttp;
import dev.recsys.api.resilience.GuardedRecommender;
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
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The API wired together once per process (Lambda init phase, outside the handler): config,
 * clients, cache, resilience, fallback list. Registered with CRaC so a SnapStart snapshot never
 * carries a live Redis socket and a restored instance re-reads the fallback list.
 */
public final class ApiApplication implements AutoCloseable, Resource {

    private static final String PRIME_USER = "recsys-prime";

    private final ApiRouter router;
    private final RedisCache cache;
    private final GuardedRecommender model;
    private final PopularItemsSource popular;
    private final ExecutorService background;
    private final List<AutoCloseable> closeables;

    private ApiApplication(ApiConfig config, Recommender recommender, PopularItemsSource.Fetcher fetcher,
                           UserHistory history, LogSink log, List<AutoCloseable> closeables) {
        this.closeables = new ArrayList<>(closeables);
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fallback-refresh");
            t.setDaemon(true);
            return t;
        });
        this.popular = new PopularItemsSource(config.staticFallback(), fetcher, config.fallbackRefresh().toNanos(),
                background, log);
        popular.refreshNow();
        this.model = new GuardedRecommender(recommender, config.resilience());
        this.cache = config.cache() == null ? null : new RedisCache(config.cache());
        CacheAside<Answer> cacheAside = cache == null ? null : new CacheAside<>(cache, ApiApplication::encode,
                ApiApplication::decode, log);
        RecommendationService service = new RecommendationService(
                new VariantAssigner(config.experiment(), config.variants()), config.similarCampaignArn(),
                config.rankingCampaignArn(), config.filters(), model, popular, history, cacheAside);
        this.router = new ApiRouter(service, this::health, config.cors(), config.maxBodyBytes(),
                config.metricsNamespace(), log);
        Core.getGlobalContext().register(this);
    }

    /**
     * Opens connections and loads the classes of every dependency's path now, in the init phase (and so
     * into a SnapStart snapshot), not in the first request: a cold SDK client or Lettuce connection takes
     * longer than the 250 ms model budget and the 50 ms cache budget, which turned first answers into
     * fallbacks and first fills into failed writes. Outcomes are ignored: this only warms.
     */
    private void prime(ApiConfig config, Recommender recommender, UserHistory history) {
        if (cache != null) cache.ping();
        try {
            history.hasHistory(PRIME_USER);
        } catch (RuntimeException e) {
            // warming only
        }
        try {
            recommender.recommend(config.variants().get(0).campaignArn(), PRIME_USER, 1, null);
        } catch (RuntimeException e) {
            // warming only: before the first training there is no campaign, and that is fine
        }
    }

    /** Production wiring: Personalize, S3 and DynamoDB through the SDK (endpoints overridden offline). */
    public static ApiApplication create(ApiConfig config, AwsClients.Endpoints endpoints, LogSink log) {
        Duration timeout = config.resilience().timeout();
        SdkHttpClient http = AwsClients.httpClient(timeout);
        List<AutoCloseable> closeables = new ArrayList<>(List.of(http));
        var personalize = AwsClients.personalize(endpoints, http, timeout);
        closeables.add(personalize);
        PopularItemsSource.Fetcher fetcher = () -> null;
        SignedHttp signed = AwsClients.signed(endpoints, http);
        if (config.fallbackBucket() != null) {
            fetcher = new S3Fetcher(signed, endpoints.s3(), endpoints.region().id(), config.fallbackBucket(),
                    config.fallbackKey());
        }
        UserHistory history = UserHistory.ASSUME_KNOWN;
        if (config.userProfilesTable() != null) {
            history = new DynamoUserHistory(signed, endpoints.dynamodb(), endpoints.region().id(), config.userProfilesTable());
        }
        Recommender recommender = new PersonalizeRecommender(personalize);
        ApiApplication app = new ApiApplication(config, recommender, fetcher, history, log, closeables);
        app.prime(config, recommender, history);
        return app;
    }

    /** Wiring with a given model, fallback publisher and history (tests, benchmarks). */
    public static ApiApplication create(ApiConfig config, Recommender recommender, PopularItemsSource.Fetcher fetcher,
                                        UserHistory history, LogSink log) {
        return new ApiApplication(config, recommender, fetcher, history, log, List.of());
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
        h.put("fallback_items", current.items().size());
        h.put("fallback_generated_at", current.generatedAt());
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

    private static String encode(Answer a) {
        try {
            return Json.MAPPER.writeValueAsString(a);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer decode(String s) {
        try {
            return Json.MAPPER.readValue(s, Answer.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
