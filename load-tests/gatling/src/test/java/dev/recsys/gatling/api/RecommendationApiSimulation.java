package dev.recsys.gatling.api;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.bench.api.ApiRig;
import dev.recsys.common.contract.Contract;
import dev.recsys.local.api.LocalApiOptions;
import dev.recsys.local.api.LocalApiServer;
import dev.recsys.local.api.LocalIssuer;
import dev.recsys.local.api.TokenAuthorizer;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Open-model load on the recommendation API through an API Gateway stand-in, as a client of the deployed API calls it:
 * every request with the stage's API key ({@code x-api-key}) and every recommendation request with a machine caller's
 * access token ({@code Authorization: Bearer}, the any-user scope, taken by the OAuth2 client-credentials grant and
 * refreshed before it expires, or given as is). A browsing mix of user recommendations (GET and the seed POST), related
 * items, re-ranking, trending and popular items over 2,000 users whose answers get cached as the run goes, plus two
 * typed-400 probes (a bad limit, an unknown filter).
 *
 * <p>Target: its own rig unless {@code -Dapi.baseUrl} names a running API. The rig is redis-server, the stand-in
 * Personalize runtime (instant answers), the API recording every answer as an exposure (as deployed), and in front the
 * local adapter with an API key and the local issuer's token check (the Cognito authorizer's stand-in), whose
 * {@code /oauth2/token} the simulation takes its token from. Against API Gateway or {@code ./recsys up}: see
 * load-tests/README.md for the properties.
 *
 * <p>Verdict in one run, against a yardstick measured just before on the same gateway: a warm-up of the browse mix (JIT,
 * connections, caches; not judged), then GET /health at the same request rate (no token, no work: the gateway and
 * dispatch floor), then the measured browse mix. The recommendations' p99 must be at most {@code gatling.p99Factor} ×
 * the yardstick's p99 + {@code gatling.p99MarginMs}; a yardstick p99 above {@code gatling.yardstickMaxP99Ms} means the
 * machine could not carry the rate and fails the run as unmeasurable; no request may fail (Gatling assertion); and on
 * the own rig every answer must have been recorded as an exposure. The figures and the limit are printed.
 */
public class RecommendationApiSimulation extends Simulation {

    private static final double RATE = Double.parseDouble(System.getProperty("gatling.rate", "50"));
    private static final int SECONDS = Integer.getInteger("gatling.seconds", 30);
    private static final int WARM_UP_SECONDS = Integer.getInteger("gatling.warmUpSeconds", 10);
    private static final int YARDSTICK_SECONDS = Integer.getInteger("gatling.yardstickSeconds", 10);
    /** Above this the yardstick itself queued: the machine cannot carry the rate, and no comparison means anything. */
    private static final int YARDSTICK_MAX_P99_MS = Integer.getInteger("gatling.yardstickMaxP99Ms", 100);
    private static final double FACTOR = Double.parseDouble(System.getProperty("gatling.p99Factor", "3"));
    private static final int MARGIN_MS = Integer.getInteger("gatling.p99MarginMs", 20);
    /** Requests per browsing user: the yardstick runs at the same request rate. */
    private static final int REQUESTS_PER_USER = 8;

    private final String externalUrl = System.getProperty("api.baseUrl");

    // Exposures on, as deployed: every answer is queued and sent to a stand-in Kinesis off the request path.
    private final ApiRig rig = externalUrl == null ? ApiRig.withExposures(16) : null;
    private final LocalIssuer issuer = rig != null ? LocalIssuer.start() : null;
    private final String apiKey = rig != null ? "gatling-" + UUID.randomUUID() : setting("api.key", "RECSYS_API_KEY");
    private final LocalApiServer gateway = rig != null ? LocalApiServer.start(LocalApiOptions.open(0).withThreads(16)
            .withApiKeys(Set.of(apiKey)).withAuthorizer(TokenAuthorizer.of(issuer)), rig.handler()) : null;
    private final String baseUrl = (gateway != null ? gateway.uri().toString() : externalUrl).replaceAll("/$", "");
    private final TokenSource tokens = tokens();
    private final Yardstick times = new Yardstick();

    private final Iterator<Map<String, Object>> users = Stream.generate(() -> {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Map.<String, Object>of("userId", "user-" + r.nextInt(2_000), "itemId", "item-" + r.nextInt(500));
    }).iterator();

    private final HttpProtocolBuilder protocol = withKey(http.baseUrl(baseUrl).acceptHeader("application/json").shareConnections());

    private final ScenarioBuilder yardstick = scenario("yardstick")
            .exec(http("GET /health (yardstick)").get("/health").check(responseTimeInMillis().saveAs("rt"), status().is(200)))
            .exec(record(Yardstick.YARDSTICK));

    private final ScenarioBuilder warmUp = browse("warm-up", Yardstick.WARM_UP);
    private final ScenarioBuilder browse = browse("browse", Yardstick.RECOMMENDATIONS);

    /** The browsing mix; each recommendation request's time goes to {@code phase} (the typed 400 is not timed). */
    private ScenarioBuilder browse(String name, String phase) {
        return scenario(name)
                .feed(users)
                .exec(authorized(http("GET /users/{userId}/recommendations").get("/users/#{userId}/recommendations?limit=10"))
                        .check(responseTimeInMillis().saveAs("rt"), status().is(200), jsonPath("$.variant").exists(),
                                jsonPath("$.recommendation_id").exists()))
                .exec(record(phase))
                .exec(authorized(http("POST /recommendations").post("/recommendations"))
                        .body(StringBody("{\"user_id\":\"#{userId}\",\"num_results\":10}")).asJson()
                        .check(responseTimeInMillis().saveAs("rt"), status().is(200), jsonPath("$.items[0].item_id").exists()))
                .exec(record(phase))
                .exec(authorized(http("GET /items/{itemId}/similar").get("/items/#{itemId}/similar?limit=5&user_id=#{userId}"))
                        .check(responseTimeInMillis().saveAs("rt"), status().is(200)))
                .exec(record(phase))
                .exec(authorized(http("POST /rankings").post("/rankings"))
                        .body(StringBody("{\"user_id\":\"#{userId}\",\"item_ids\":[\"item-1\",\"item-2\",\"item-3\",\"#{itemId}\"]}")).asJson()
                        .check(responseTimeInMillis().saveAs("rt"), status().is(200)))
                .exec(record(phase))
                .exec(authorized(http("GET /trending").get("/trending?limit=10&user_id=#{userId}"))
                        .check(responseTimeInMillis().saveAs("rt"), status().is(200), jsonPath("$.variant").is("trending")))
                .exec(record(phase))
                .exec(authorized(http("GET /popular").get("/popular?limit=10"))
                        .check(responseTimeInMillis().saveAs("rt"), status().is(200), jsonPath("$.items[0].item_id").exists()))
                .exec(record(phase))
                .exec(authorized(http("invalid limit is a typed 400").get("/users/#{userId}/recommendations?limit=0"))
                        .check(status().is(400), jsonPath("$.error.code").is("invalid_limit")))
                .exec(authorized(http("unknown filter is a typed 400").get("/trending?filter=no-such-filter"))
                        .check(status().is(400), jsonPath("$.error.code").is("unknown_filter")));
    }

    {
        // Warm-up (JIT, connections, caches; timed but not judged), then the yardstick, then the measured browse.
        setUp(warmUp.injectOpen(rampUsersPerSec(1).to(RATE).during(WARM_UP_SECONDS))
                .andThen(yardstick.injectOpen(constantUsersPerSec(RATE * REQUESTS_PER_USER).during(YARDSTICK_SECONDS))
                        .andThen(browse.injectOpen(
                                rampUsersPerSec(10).to(RATE).during(10),
                                constantUsersPerSec(RATE).during(SECONDS)))))
                .protocols(protocol)
                .assertions(global().failedRequests().percent().is(0.0));
    }

    /** A -D property, else the environment variable (for secrets: not on the command line). */
    private static String setting(String property, String variable) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) v = System.getenv(variable);
        return v == null || v.isBlank() ? null : v;
    }

    private TokenSource tokens() {
        String scope = System.getProperty("api.scope", Contract.get().api().auth().anyUserScopeName());
        if (issuer != null) {
            return TokenSource.clientCredentials(issuer.tokenUri(), LocalIssuer.MACHINE_CLIENT_ID, issuer.machineSecret(), scope);
        }
        String token = setting("api.token", "RECSYS_API_TOKEN");
        if (token != null) return TokenSource.fixed(token.startsWith("Bearer ") ? token.substring(7) : token);
        String tokenUrl = setting("api.tokenUrl", "RECSYS_TOKEN_URL");
        if (tokenUrl != null) {
            String clientId = setting("api.clientId", "RECSYS_CLIENT_ID");
            String secret = setting("api.clientSecret", "RECSYS_CLIENT_SECRET");
            if (clientId == null || secret == null) {
                throw new IllegalArgumentException("api.tokenUrl needs api.clientId and api.clientSecret (or RECSYS_CLIENT_ID, RECSYS_CLIENT_SECRET)");
            }
            return TokenSource.clientCredentials(URI.create(tokenUrl), clientId, secret, scope);
        }
        System.err.println("no token: set api.token, or api.tokenUrl + api.clientId + api.clientSecret; "
                + "behind an authorizer every recommendation request will fail (401)");
        return null;
    }

    private HttpProtocolBuilder withKey(HttpProtocolBuilder p) {
        if (apiKey == null) System.err.println("no API key (api.key / RECSYS_API_KEY): API Gateway answers 403 to every request");
        return apiKey == null ? p : p.header("x-api-key", apiKey);
    }

    private HttpRequestActionBuilder authorized(HttpRequestActionBuilder request) {
        return tokens == null ? request : request.header("Authorization", session -> "Bearer " + tokens.current());
    }

    /** Gatling's own response time of the request before, into the phase's sample (absent when no response came). */
    private Function<Session, Session> record(String phase) {
        return session -> {
            if (session.contains("rt")) times.add(phase, session.getInt("rt"));
            return session.remove("rt");
        };
    }

    /** The API's own count, from its health document. */
    private long exposuresRecorded() {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/health"));
            if (apiKey != null) b.header("x-api-key", apiKey);
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body()).path("exposures").path("recorded").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void after() {
        try {
            Yardstick.Verdict verdict = times.verdict(FACTOR, MARGIN_MS, YARDSTICK_MAX_P99_MS);
            Yardstick.Summary warm = times.summary(Yardstick.WARM_UP);
            System.out.printf("warm-up (not judged):  %d requests, p50 %d ms, p99 %d ms, max %d ms%n", warm.count(), warm.p50(), warm.p99(), warm.max());
            System.out.println(verdict.describe());
            System.out.println(verdict.toJson());
            if (tokens != null) System.out.printf("tokens taken from the token endpoint: %d%n", tokens.fetches());
            if (rig != null) {
                // Every answer is an exposure: drained and counted by the stand-in stream.
                try {
                    rig.app().drainExposures(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long recorded = exposuresRecorded();
                System.out.printf("exposures: %d recorded by the API, %d received by the stream%n", recorded, rig.exposuresReceived());
                if (recorded == 0 || recorded != rig.exposuresReceived()) {
                    throw new IllegalStateException("exposures lost: " + recorded + " recorded, " + rig.exposuresReceived() + " received");
                }
            }
            if (!verdict.passed()) throw new IllegalStateException("latency verdict failed: " + verdict.reason());
        } finally {
            if (tokens != null) tokens.close();
            if (gateway != null) gateway.close();
            if (issuer != null) issuer.close();
            if (rig != null) rig.close();
        }
    }
}
