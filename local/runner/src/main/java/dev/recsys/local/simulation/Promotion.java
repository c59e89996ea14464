package dev.recsys.local.simulation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.experiment.ExperimentSplit;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.local.serving.LocalRecommendationApi;
import dev.recsys.local.training.TrainingLoop;
import dev.recsys.training.ExperimentConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * After an experiment: the pipeline's decision step (policy promote) moves traffic to the winner, and the API
 * moves exactly the users it should. Checked from outside: the object the step published, the phase the API
 * reports, the variant each user is served before and after, and a second decision that must change nothing.
 */
public final class Promotion {

    /**
     * @param moved          users of the losing arm now served the winner
     * @param expectedMoved  the share of the loser's users the new weights should move
     * @param wrongMoves     users who changed variant in any other way (must be 0)
     */
    public record Report(String winner, String phase, Map<String, Integer> weights, long losers, long moved,
                         double expectedMoved, long wrongMoves, boolean holds) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingLoop training;
    private final URI dynamoDb;
    private final S3Client s3;
    private final String bucket;
    private final LocalRecommendationApi api;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    public Promotion(TrainingLoop training, URI dynamoDb, S3Client s3, String bucket, LocalRecommendationApi api, PrintStream out) {
        this.training = training;
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
        this.bucket = bucket;
        this.api = api;
        this.out = out;
    }

    /** @param before each user's variant as the experiment served it */
    public Report run(ExperimentConfig experiment, Map<String, String> before, Duration apiRefresh) throws Exception {
        JsonNode decided = training.decideExperiment(dynamoDb, experiment);
        out.printf("  decision step (policy %s, step %d points): %s%n", decided.path("policy").asText(), experiment.promoteStep(),
                wrap(decided.path("summary").asText()));
        String winner = decided.path("winner").isNull() ? null : decided.path("winner").asText(null);
        if (!decided.path("changed").asBoolean()) {
            out.println("  FAILED: the decision step published no new split");
            return new Report(winner, null, Map.of(), 0, 0, 0, 0, false);
        }
        String phase = decided.path("phase").asText();
        Map<String, Integer> weights = new LinkedHashMap<>();
        decided.path("weights").properties().forEach(e -> weights.put(e.getKey(), e.getValue().asInt()));

        byte[] published = s3.getObjectAsBytes(b -> b.bucket(bucket).key(S3Layout.EXPERIMENT_CONFIG_KEY)).asByteArray();
        ExperimentSplit split = ExperimentSplit.parse(published);
        Map<String, Integer> publishedWeights = new LinkedHashMap<>();
        split.variants().forEach(a -> publishedWeights.put(a.name(), a.weight()));
        boolean object = split.salt().equals(experiment.experimentId()) && split.experiment().equals(phase)
                && publishedWeights.equals(weights);
        out.printf("  s3://%s/%s: salt %s, phase %s, weights %s -> %s%n", bucket, S3Layout.EXPERIMENT_CONFIG_KEY, split.salt(),
                split.experiment(), publishedWeights, object ? "as decided, assignment salt unchanged" : "NOT what was decided");

        boolean served = awaitPhase(phase, apiRefresh.plusSeconds(10));
        out.printf("  the API %s phase %s (it re-reads the split every %d s)%n", served ? "now serves" : "did NOT switch to", phase,
                apiRefresh.toSeconds());

        // Only the shifted buckets' users may move, and only from the loser(s) to the winner.
        long losers = 0, moved = 0, wrong = 0;
        for (Map.Entry<String, String> u : before.entrySet()) {
            String now = variantServed(u.getKey());
            boolean wasWinner = u.getValue().equals(winner);
            if (!wasWinner) losers++;
            if (now.equals(u.getValue())) continue;
            if (!wasWinner && now.equals(winner)) moved++;
            else wrong++;
        }
        int winnerBefore = experiment.weights().get(winner);
        double expected = (double) (weights.get(winner) - winnerBefore) / (100 - winnerBefore);
        double share = losers == 0 ? 0 : (double) moved / losers;
        // Buckets are a hash: the moved share is binomial around the expected one; 4 standard errors.
        boolean shareHolds = losers > 0 && Math.abs(share - expected) <= 4 * Math.sqrt(expected * (1 - expected) / losers);
        out.printf("  the same %,d users asked again: %,d of the %,d not on %s moved to it (%.2f, the new weights move %.2f),"
                + " %d moved any other way%n", before.size(), moved, losers, winner, share, expected, wrong);

        JsonNode again = training.decideExperiment(dynamoDb, experiment);
        byte[] after = s3.getObjectAsBytes(b -> b.bucket(bucket).key(S3Layout.EXPERIMENT_CONFIG_KEY)).asByteArray();
        boolean idempotent = !again.path("changed").asBoolean() && Arrays.equals(published, after);
        out.printf("  a second decision %s: %s%n", idempotent ? "changed nothing" : "CHANGED the split again",
                wrap(again.path("summary").asText()));

        boolean holds = object && served && shareHolds && wrong == 0 && idempotent;
        return new Report(winner, phase, weights, losers, moved, expected, wrong, holds);
    }

    private boolean awaitPhase(String phase, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (phase.equals(get("/health").path("experiment").asText())) return true;
            Thread.sleep(500);
        }
        return false;
    }

    private String variantServed(String user) throws Exception {
        return get("/users/" + user + "/recommendations?limit=10").path("variant").asText();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api.uri().toString().replaceAll("/$", "") + path))
                .headers(api.callerHeaders()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static String wrap(String text) {
        return text.replace("; ", ";\n      ").replace(". ", ".\n      ");
    }
}
