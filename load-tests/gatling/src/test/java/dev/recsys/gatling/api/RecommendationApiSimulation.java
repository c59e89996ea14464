package dev.recsys.gatling.api;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.bench.api.ApiRig;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Open-model load on the recommendation API through the local API Gateway adapter: a browsing mix of
 * user recommendations (GET and the seed POST), related items and re-ranking, over 2,000 users whose
 * answers get cached as the run goes. Starts its own rig (redis-server, the stand-in Personalize
 * runtime that answers instantly, the API, the adapter) unless {@code -Dapi.baseUrl} points at a
 * running one; the rig records every answer as an exposure, as deployed. Fails the build when p99 or the error
 * rate miss their targets, or when an answer was not recorded.
 */
public class RecommendationApiSimulation extends Simulation {

    private static final double RATE = Double.parseDouble(System.getProperty("gatling.rate", "50"));
    private static final int SECONDS = Integer.getInteger("gatling.seconds", 30);
    private static final int P99_MS = Integer.getInteger("gatling.p99Ms", 50);

    // Exposures on, as deployed: every answer is queued and sent to a stand-in Kinesis off the request path.
    private final ApiRig rig = System.getProperty("api.baseUrl") == null ? ApiRig.withExposures(16) : null;
    private final String baseUrl = rig != null ? rig.apiUri().toString() : System.getProperty("api.baseUrl");

    private final Iterator<Map<String, Object>> users = Stream.generate(() -> {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Map.<String, Object>of("userId", "user-" + r.nextInt(2_000), "itemId", "item-" + r.nextInt(500));
    }).iterator();

    private final HttpProtocolBuilder protocol = http.baseUrl(baseUrl).acceptHeader("application/json").shareConnections();

    private final ScenarioBuilder browse = scenario("browse")
            .feed(users)
            .exec(http("GET /users/{userId}/recommendations").get("/users/#{userId}/recommendations?limit=10")
                    .check(status().is(200), jsonPath("$.variant").exists(), jsonPath("$.recommendation_id").exists()))
            .exec(http("POST /recommendations").post("/recommendations")
                    .body(StringBody("{\"user_id\":\"#{userId}\",\"num_results\":10}")).asJson()
                    .check(status().is(200), jsonPath("$.items[0].item_id").exists()))
            .exec(http("GET /items/{itemId}/similar").get("/items/#{itemId}/similar?limit=5&user_id=#{userId}")
                    .check(status().is(200)))
            .exec(http("POST /rankings").post("/rankings")
                    .body(StringBody("{\"user_id\":\"#{userId}\",\"item_ids\":[\"item-1\",\"item-2\",\"item-3\",\"#{itemId}\"]}")).asJson()
                    .check(status().is(200)))
            .exec(http("invalid limit is a typed 400").get("/users/#{userId}/recommendations?limit=0")
                    .check(status().is(400), jsonPath("$.error.code").is("invalid_limit")));

    {
        setUp(browse.injectOpen(
                rampUsersPerSec(10).to(RATE).during(10),
                constantUsersPerSec(RATE).during(SECONDS)))
                .protocols(protocol)
                .assertions(
                        global().responseTime().percentile(99.0).lt(P99_MS),
                        global().failedRequests().percent().is(0.0));
    }

    /** The API's own count, from its health document. */
    private long exposuresRecorded() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/$", "") + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
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
                rig.close();
                throw new IllegalStateException("exposures lost: " + recorded + " recorded, " + rig.exposuresReceived() + " received");
            }
            rig.close();
        }
    }
}
