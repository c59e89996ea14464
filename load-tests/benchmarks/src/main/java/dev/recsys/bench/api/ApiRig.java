package dev.recsys.bench.api;

import dev.recsys.api.ApiApplication;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.api.metrics.RequestMetrics;
import dev.recsys.local.stack.metrics.EmfStandIn;
import dev.recsys.api.aws.ApiAwsClients;
import dev.recsys.local.api.LocalApiOptions;
import dev.recsys.local.api.LocalApiServer;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.StackOptions;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The serving tier on one machine for load tests: redis-server (local stack), the stand-in
 * Personalize runtime, the API wired exactly as in Lambda (real SDK client, Lettuce, Resilience4j),
 * and the local API Gateway adapter in front. Everything on 127.0.0.1, free ports.
 */
public final class ApiRig implements AutoCloseable {

    public static final String CAMPAIGN_A = "arn:aws:personalize:us-east-1:000000000000:campaign/recs-a";
    public static final String CAMPAIGN_B = "arn:aws:personalize:us-east-1:000000000000:campaign/recs-b";

    private final LocalStack stack;
    private final StandInPersonalizeRuntime personalize;
    private final StandInKinesis kinesis;
    private final ApiApplication app;
    private final ApiHandler handler;
    private final LocalApiServer server;

    /**
     * @param exposures   log every answer as an exposure (to the stand-in Kinesis), or not at all
     * @param runtime     a real Personalize runtime to call (e.g. the engine), or null for the stand-in
     * @param dynamodb    DynamoDB holding the tables the environment names, or null for none
     * @param environment settings over {@link #environment(String)}
     */
    private ApiRig(int adapterThreads, boolean exposures, URI runtime, URI dynamodb, Map<String, String> environment) {
        stack = LocalStack.start(StackOptions.of(Service.REDIS));
        personalize = runtime == null ? StandInPersonalizeRuntime.start() : null;
        kinesis = exposures ? StandInKinesis.start() : null;
        Map<String, String> env = environment(stack.endpoints().redisUri().toString());
        env.putAll(environment);
        if (exposures) {
            // The stand-in speaks AWS JSON, not CBOR (read by the SDK when a Kinesis client is built).
            System.setProperty("aws.cborEnabled", "false");
            env.put("RECSYS_EXPOSURE_STREAM", "exposures");
        }
        ApiAwsClients.Endpoints base = endpoints(runtime == null ? personalize.uri() : runtime);
        ApiAwsClients.Endpoints endpoints = new ApiAwsClients.Endpoints(base.region(), base.credentials(),
                base.personalize(), null, dynamodb, kinesis == null ? null : kinesis.uri());
        // Metrics are built and serialised as on Lambda (Powertools → aws-embedded-metrics), then dropped.
        ApiConfig config = ApiConfig.fromEnvironment(env);
        app = ApiApplication.create(config, endpoints, new RequestMetrics(config.metricsNamespace(), EmfStandIn.discarding()));
        handler = new ApiHandler(app);
        server = LocalApiServer.start(LocalApiOptions.open(0).withThreads(adapterThreads), handler);
    }

    public static ApiRig start(int adapterThreads) {
        return new ApiRig(adapterThreads, false, null, null, Map.of());
    }

    public static ApiRig withExposures(int adapterThreads) {
        return new ApiRig(adapterThreads, true, null, null, Map.of());
    }

    /** The API in front of a real Personalize runtime (the engine) and DynamoDB, with these settings over the rig's. */
    public static ApiRig over(URI runtime, URI dynamodb, Map<String, String> environment) {
        return new ApiRig(1, false, runtime, dynamodb, environment);
    }

    /** Exposures the stand-in Kinesis received (0 without exposures). */
    public long exposuresReceived() {
        return kinesis == null ? 0 : kinesis.records();
    }

    /** CPU the stand-in Kinesis spent answering PutRecords (0 without exposures). */
    public long standInKinesisCpuNanos() {
        return kinesis == null ? 0 : kinesis.cpuNanos();
    }

    public ApiApplication app() {
        return app;
    }

    /** The API's configuration for the rig (also what the cold-start probe uses). */
    public static Map<String, String> environment(String redisUri) {
        Map<String, String> env = new HashMap<>();
        env.put("RECSYS_VARIANTS", "[{\"name\":\"a\",\"campaign_arn\":\"" + CAMPAIGN_A + "\",\"weight\":50},"
                + "{\"name\":\"b\",\"campaign_arn\":\"" + CAMPAIGN_B + "\",\"weight\":50}]");
        env.put("RECSYS_SIMILAR_CAMPAIGN_ARN", "arn:aws:personalize:us-east-1:000000000000:campaign/sims");
        env.put("RECSYS_RANKING_CAMPAIGN_ARN", "arn:aws:personalize:us-east-1:000000000000:campaign/ranking");
        env.put("RECSYS_AUTH_MODE", "none"); // the adapter's token check is measured on its own, not in these figures
        env.put("RECSYS_FALLBACK_STATIC_ITEMS", "pop-1,pop-2,pop-3,pop-4,pop-5,pop-6,pop-7,pop-8,pop-9,pop-10");
        env.put("RECSYS_REDIS_URL", redisUri);
        env.put("RECSYS_CACHE_TTL_SECONDS", "600");
        return env;
    }

    public static ApiAwsClients.Endpoints endpoints(URI personalize) {
        return new ApiAwsClients.Endpoints(software.amazon.awssdk.regions.Region.US_EAST_1,
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "localsecret")),
                personalize, null, null, null);
    }

    public ApiHandler handler() {
        return handler;
    }

    public URI apiUri() {
        return server.uri();
    }

    /** The stand-in Personalize runtime's address (only when the rig runs it). */
    public URI personalizeUri() {
        return personalize.uri();
    }

    public URI redisUri() {
        return stack.endpoints().redisUri();
    }

    @Override
    public void close() {
        server.close();
        app.close();
        if (personalize != null) personalize.close();
        if (kinesis != null) kinesis.close();
        stack.close();
    }
}
