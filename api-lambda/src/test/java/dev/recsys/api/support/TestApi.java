package dev.recsys.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.core.UserHistory;
import dev.recsys.api.published.PublishedDocument;
import dev.recsys.api.json.Json;
import dev.recsys.api.http.ProxyResponse;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.api.metrics.RequestMetrics;
import dev.recsys.local.stack.logs.CapturedLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An API built the production way (ApiApplication + ApiHandler), driven with proxy-event JSON. */
public final class TestApi implements AutoCloseable {

    public static final String CAMPAIGN_A = "arn:aws:personalize:us-east-1:123456789012:campaign/recs-a";
    public static final String CAMPAIGN_B = "arn:aws:personalize:us-east-1:123456789012:campaign/recs-b";
    public static final String SIMS = "arn:aws:personalize:us-east-1:123456789012:campaign/sims";
    public static final String RANKING = "arn:aws:personalize:us-east-1:123456789012:campaign/ranking";
    public static final String FILTER = "arn:aws:personalize:us-east-1:123456789012:filter/unseen";
    /** JSON-escaped inside RECSYS_FILTERS */
    public static final String UNSEEN_EXPRESSION = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\\\"click\\\", \\\"purchase\\\")";

    public final ScriptedRecommender model = new ScriptedRecommender();
    private final CapturedLog log = CapturedLog.start();
    /** The function's JSON log lines while this API is open (any thread of the JVM) */
    public final List<String> lines = log.lines();
    /** Each request's metric documents, as the Powertools metrics logger received them */
    public final RecordingMetrics metrics = new RecordingMetrics();
    private final ApiApplication app;
    private final ApiHandler handler;

    public TestApi(Map<String, String> extraEnv, PublishedDocument.Fetcher fetcher, UserHistory history) {
        Map<String, String> env = new HashMap<>(baseEnv());
        env.putAll(extraEnv);
        ApiConfig config = ApiConfig.fromEnvironment(env);
        app = ApiApplication.create(config, model, fetcher, history, requestMetrics(config));
        handler = new ApiHandler(app);
    }

    public TestApi(Map<String, String> extraEnv) {
        this(extraEnv, () -> null, UserHistory.ASSUME_KNOWN);
    }

    /** With the scripted model and the given adapters for everything else. */
    public TestApi(Map<String, String> extraEnv, java.util.function.UnaryOperator<ApiApplication.Adapters> adapters) {
        Map<String, String> env = new HashMap<>(baseEnv());
        env.putAll(extraEnv);
        ApiConfig config = ApiConfig.fromEnvironment(env);
        app = ApiApplication.create(config, adapters.apply(new ApiApplication.Adapters(model, () -> null, () -> null,
                UserHistory.ASSUME_KNOWN, dev.recsys.api.core.ItemHistory.ASSUME_KNOWN, dev.recsys.api.core.Exposures.NONE, null,
                dev.recsys.api.core.ItemCatalog.NONE, dev.recsys.api.core.UserInteractions.NONE, dev.recsys.api.core.UserAttributes.NONE)),
                requestMetrics(config));
        handler = new ApiHandler(app);
    }

    private RequestMetrics requestMetrics(ApiConfig config) {
        return new RequestMetrics(config.metricsNamespace(), metrics);
    }

    public static Map<String, String> baseEnv() {
        return Map.of(
                "RECSYS_VARIANTS", "[{\"name\":\"a\",\"campaign_arn\":\"" + CAMPAIGN_A + "\",\"weight\":50},"
                        + "{\"name\":\"b\",\"campaign_arn\":\"" + CAMPAIGN_B + "\",\"weight\":50}]",
                "RECSYS_SIMILAR_CAMPAIGN_ARN", SIMS,
                "RECSYS_RANKING_CAMPAIGN_ARN", RANKING,
                "RECSYS_FILTERS", "{\"unseen\":{\"arn\":\"" + FILTER + "\",\"expression\":\"" + UNSEEN_EXPRESSION + "\"}}",
                "RECSYS_INTERACTIONS_TABLE", "recsys-interactions",
                "RECSYS_FALLBACK_STATIC_ITEMS", "pop-1,pop-2,pop-3,pop-4,pop-5,pop-6,pop-7,pop-8,pop-9,pop-10,pop-11,pop-12",
                "RECSYS_PERSONALIZE_TIMEOUT_MS", "300",
                "RECSYS_CORS_ORIGINS", "https://shop.example.com",
                // Caller identity has its own tests (AccessTest); the rest of the suite calls as an unchecked caller.
                "RECSYS_AUTH_MODE", "none");
    }

    public ApiApplication app() {
        return app;
    }

    /** Invokes the handler with raw event bytes, as the Lambda runtime does. */
    public ProxyResponse invokeRaw(String eventJson) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, null);
            return Json.MAPPER.readValue(out.toByteArray(), ProxyResponse.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ProxyResponse invoke(Events event) {
        return invokeRaw(event.json());
    }

    public static JsonNode body(ProxyResponse r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.close();
        log.close();
    }
}
