package dev.recsys.local.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.api.ApiApplication;
import dev.recsys.api.aws.ApiAwsClients;
import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.lambda.ApiHandler;
import dev.recsys.api.metrics.RequestMetrics;
import dev.recsys.common.contract.Contract;
import dev.recsys.local.stack.metrics.EmfStandIn;
import dev.recsys.local.api.FunctionLog;
import dev.recsys.local.api.LocalApiOptions;
import dev.recsys.local.api.LocalApiServer;
import dev.recsys.local.api.LocalIssuer;
import dev.recsys.local.api.TokenAuthorizer;
import dev.recsys.local.ingest.ConsumerProcess.Deployment;
import dev.recsys.local.stack.Endpoints;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The recommendation API as deployed, offline: the same Lambda handler, configured from the same
 * {@code RECSYS_*} environment as on AWS, behind the local API Gateway adapter (API key required, and a token of the
 * local issuer on every route but health, verified as the Cognito authorizer does).
 */
public final class LocalRecommendationApi implements AutoCloseable {

    public static final String API_KEY = "local-dev-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The web app origin the local API admits (a dev server's usual one). */
    public static final List<String> CORS_ORIGINS = List.of("http://localhost:3000");
    /** How often this deployment re-reads the published fallback list and split (AWS default: 60 s). */
    public static final Duration REFRESH = Duration.ofSeconds(5);

    private final ApiApplication app;
    private final LocalApiServer server;
    private final LocalIssuer issuer;
    /** Half the issuer's token lifetime. */
    private static final Duration MACHINE_TOKEN_REUSE = Duration.ofMinutes(30);
    private volatile String machineBearer;
    private volatile long machineBearerRenewAt;
    private final Path log;

    private LocalRecommendationApi(ApiApplication app, LocalApiServer server, LocalIssuer issuer, Path log) {
        this.app = app;
        this.server = server;
        this.issuer = issuer;
        this.log = log;
    }

    /** The local stand-in of the user pool that signs this API's tokens. */
    public LocalIssuer issuer() {
        return issuer;
    }

    /**
     * The {@code Authorization} header of a machine caller (any-user scope): what the walkthrough, the checks and the
     * simulations use, since they ask for many users.
     */
    public String machineAuthorization() {
        // As a client-credentials caller does: one token, fetched again well before its hour is up.
        long now = System.nanoTime();
        String bearer = machineBearer;
        if (bearer == null || now - machineBearerRenewAt >= 0) {
            bearer = "Bearer " + issuer.machineToken();
            machineBearerRenewAt = now + MACHINE_TOKEN_REUSE.toNanos();
            machineBearer = bearer;
        }
        return bearer;
    }

    /** The headers of a machine caller: the API key and {@link #machineAuthorization()}. */
    public String[] callerHeaders() {
        return new String[] {"x-api-key", API_KEY, "Authorization", machineAuthorization()};
    }

    /** The handler's log messages (not its metrics) about one request, e.g. why an answer was not cached. */
    public List<String> messagesAbout(String requestId) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(requestId) && l.contains("\"message\"")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * What one local deployment of the API serves.
     *
     * @param variants           variant name → campaign ARN, split evenly, buckets laid out in its iteration order
     * @param similarCampaignArn null: related items from the fallback list
     * @param rankingCampaignArn null: rankings by popularity
     * @param emfLog             where the handler's EMF metric and JSON log lines go
     * @param filters            filter name → its ARN and expression (RECSYS_FILTERS); empty for none
     * @param defaultUserFilter  what user recommendations apply when the request names no filter; null for none
     * @param trendingCampaignArn null: GET /trending from the popular list
     * @param promotions         RECSYS_PROMOTIONS (JSON); null for none
     */
    public record Settings(String experiment, Map<String, String> variants, String similarCampaignArn, String rankingCampaignArn,
                           Deployment deployment, List<String> staticFallback, Path emfLog, Map<String, ServedFilter> filters,
                           String defaultUserFilter, String trendingCampaignArn, String promotions) {
        public Settings {
            variants = new LinkedHashMap<>(variants);
            filters = new LinkedHashMap<>(filters);
        }

        /** The same API with another experiment (its id is the assignment salt) and split. */
        public Settings withExperiment(String id, Map<String, String> split) {
            return new Settings(id, split, similarCampaignArn, rankingCampaignArn, deployment, staticFallback, emfLog, filters,
                    defaultUserFilter, trendingCampaignArn, promotions);
        }
    }

    /** One entry of RECSYS_FILTERS. */
    public record ServedFilter(String arn, String expression) {}

    public static LocalRecommendationApi start(Endpoints e, URI personalize, Settings s) {
        Map<String, String> env = new TreeMap<>();
        StringBuilder v = new StringBuilder("[");
        int weight = 100 / s.variants().size();
        int i = 0;
        for (Map.Entry<String, String> variant : s.variants().entrySet()) {
            int w = ++i == s.variants().size() ? 100 - weight * (s.variants().size() - 1) : weight;
            v.append(i > 1 ? "," : "").append("{\"name\":\"").append(variant.getKey()).append("\",\"campaign_arn\":\"")
                    .append(variant.getValue()).append("\",\"weight\":").append(w).append('}');
        }
        Deployment d = s.deployment();
        env.put("RECSYS_EXPERIMENT", s.experiment());
        env.put("RECSYS_VARIANTS", v.append(']').toString());
        if (s.similarCampaignArn() != null) env.put("RECSYS_SIMILAR_CAMPAIGN_ARN", s.similarCampaignArn());
        if (s.rankingCampaignArn() != null) env.put("RECSYS_RANKING_CAMPAIGN_ARN", s.rankingCampaignArn());
        env.put("RECSYS_REDIS_URL", e.redisUri().toString());
        env.put("RECSYS_REDIS_USER", e.redisUser("api"));
        env.put("RECSYS_REDIS_CACHE_NAME", e.redisCacheName());
        env.put("RECSYS_FALLBACK_BUCKET", d.bucket());
        env.put("RECSYS_FALLBACK_REFRESH_SECONDS", String.valueOf(REFRESH.toSeconds()));
        env.put("RECSYS_FALLBACK_STATIC_ITEMS", String.join(",", s.staticFallback()));
        env.put("RECSYS_USER_PROFILES_TABLE", d.profilesTable());
        env.put("RECSYS_INTERACTIONS_TABLE", d.interactionsTable());
        env.put("RECSYS_EXPERIMENTS_TABLE", d.experimentsTable());
        Contract.Variables names = Contract.get().environment().apiLambda();
        env.put(names.name("items_table"), d.itemsTable());
        env.put(names.name("users_table"), d.usersTable());
        if (!s.filters().isEmpty()) {
            ObjectNode filters = JSON.createObjectNode();
            s.filters().forEach((name, f) -> filters.putObject(name).put("arn", f.arn()).put("expression", f.expression()));
            env.put(names.name("filters"), filters.toString());
        }
        if (s.defaultUserFilter() != null) env.put(names.name("default_user_filter"), s.defaultUserFilter());
        if (s.trendingCampaignArn() != null) env.put(names.name("trending_campaign_arn"), s.trendingCampaignArn());
        if (s.promotions() != null) env.put(names.name("promotions"), s.promotions());
        env.put("RECSYS_EXPOSURE_STREAM", d.stream());
        env.put("RECSYS_CORS_ORIGINS", String.join(",", CORS_ORIGINS));
        env.put("RECSYS_AUTH_MODE", "jwt");
        Path emfLog = s.emfLog();
        ApiAwsClients.Endpoints endpoints = new ApiAwsClients.Endpoints(e.awsRegion(), e.credentialsProvider(), personalize, e.s3(), e.dynamodb(),
                e.kinesisPlain());
        // JSON log lines and EMF metric documents into one file, as in the function's log on Lambda.
        FunctionLog.to("dev.recsys.api", emfLog);
        ApiConfig config = ApiConfig.fromEnvironment(env);
        ApiApplication app = ApiApplication.create(config, endpoints,
                new RequestMetrics(config.metricsNamespace(), EmfStandIn.provider(FunctionLog.lines(emfLog))));
        LocalIssuer issuer = LocalIssuer.start();
        LocalApiServer server = LocalApiServer.start(LocalApiOptions.open(0).withApiKeys(Set.of(API_KEY))
                .withAuthorizer(TokenAuthorizer.of(issuer)).withCorsOrigins(CORS_ORIGINS), new ApiHandler(app));
        return new LocalRecommendationApi(app, server, issuer, emfLog);
    }

    public URI uri() {
        return server.uri();
    }

    /** @return whether the printed user token did what the lines say (checked against the running API) */
    public boolean printCurlExamples(PrintStream out, String user, String item) {
        String base = uri().toString().replaceAll("/$", "");
        String token = issuer.userToken(user);
        out.printf("  Try it (API key as on API Gateway, and %s's access token from the local issuer %s, valid 1 h;%n", user, issuer.issuer());
        out.println("  a user token is answered only for its own user, anything else is a typed 403):");
        out.printf("    TOKEN='%s'%n", token);
        out.printf("    curl -s -H 'x-api-key: %s' -H \"Authorization: Bearer $TOKEN\" '%s/users/%s/recommendations?limit=5'%n", API_KEY, base, user);
        out.printf("    curl -s -H 'x-api-key: %s' -H \"Authorization: Bearer $TOKEN\" -H 'content-type: application/json' -d '{\"user_id\":\"%s\",\"num_results\":5}' %s/recommendations%n",
                API_KEY, user, base);
        out.printf("    curl -s -H 'x-api-key: %s' -H \"Authorization: Bearer $TOKEN\" -H 'content-type: application/json' -d '{\"user_id\":\"%s\",\"item_ids\":[\"%s\",\"item-000001\"]}' %s/rankings%n",
                API_KEY, user, item, base);
        out.printf("    curl -s -H 'x-api-key: %s' %s/health%n", API_KEY, base);
        out.println("  A machine caller (any user, and /experiments) takes a client-credentials token first:");
        out.printf("    MTOKEN=$(curl -s -u '%s:%s' -d grant_type=client_credentials %s | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')%n",
                LocalIssuer.MACHINE_CLIENT_ID, issuer.machineSecret(), issuer.tokenUri());
        out.printf("    curl -s -H 'x-api-key: %s' -H \"Authorization: Bearer $MTOKEN\" %s/experiments%n", API_KEY, base);
        String checked = checkTokens(base, user, token);
        out.println("  " + checked);
        return checked.startsWith("Checked");
    }

    /** What the printed token does, asked of the running API now: its own user, another user, no token. */
    private static String checkTokens(String base, String user, String token) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try {
            int own = status(http, base + "/users/" + user + "/recommendations?limit=5", token);
            int other = status(http, base + "/users/" + user + "-other/recommendations?limit=5", token);
            int none = status(http, base + "/users/" + user + "/recommendations?limit=5", null);
            boolean ok = own == 200 && other == 403 && none == 401;
            return (ok ? "Checked just now: " : "CHECK FAILED: ") + "the token on its own user → " + own + ", on another user → " + other
                    + ", no token → " + none + (ok ? "" : " (expected 200, 403, 401)");
        } catch (Exception e) {
            return "CHECK FAILED: the token could not be tried: " + e;
        }
    }

    private static int status(java.net.http.HttpClient http, String url, String token) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(url)).header("x-api-key", API_KEY)
                .timeout(Duration.ofSeconds(10));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Sends the exposures the handler queued, as the Lambda post-invoke hook does after each response. */
    public void drainExposures() throws InterruptedException {
        app.drainExposures(Duration.ofSeconds(10));
    }

    @Override
    public void close() throws Exception {
        server.close();
        issuer.close();
        app.close();
    }
}
