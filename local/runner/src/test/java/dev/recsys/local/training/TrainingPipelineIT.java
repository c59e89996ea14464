package dev.recsys.local.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.StackOptions;
import dev.recsys.personalize.engine.EngineConfig;
import dev.recsys.personalize.engine.PersonalizeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.Campaign;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole offline loop: raw events in local S3 → the deployed ASL run by aws-local-stepfunctions →
 * Spark job (child JVM) → Personalize-compatible engine (import, training, metrics, campaigns) →
 * campaigns serving recommendations. Then the two ways a run must not touch what is live: a model
 * the gate refuses, and a failed import.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "recsys-training-it";
    private static final int WINDOW_HOURS = 6;

    private static Path work;
    private static LocalStack stack;
    private static PersonalizeEngine engine;
    private static TrainingLoop loop;
    private static PersonalizeClient personalize;
    private static PersonalizeRuntimeClient runtime;
    private static TrainingLoop.Outcome first;
    private static Map<String, String> liveAfterFirst;

    @BeforeAll
    static void trainOnce() throws Exception {
        work = Files.createTempDirectory("training-it-");
        stack = LocalStack.start(StackOptions.of(Service.S3));
        stack.createBucket(BUCKET);
        Endpoints e = stack.endpoints();
        engine = PersonalizeEngine.start(EngineConfig.local(work.resolve("engine"), e.s3(), e.accessKey(), e.secretKey(), BUCKET)
                .withStepDelay(Duration.ofMillis(200)));
        TrainingLoop.Options d = TrainingLoop.Options.defaults(LocalStepFunctionsIT.repoRoot(), BUCKET, e.s3(),
                engine.endpoint(), e.region(), e.accessKey(), e.secretKey(), work.resolve("loop"));
        TrainingLoop.Options options = new TrainingLoop.Options(d.repoRoot(), d.bucket(), d.s3Endpoint(),
                d.personalizeEndpoint(), d.region(), d.accessKey(), d.secretKey(), d.variants(), d.gateTolerance(),
                WINDOW_HOURS, Duration.ofMillis(300), Duration.ofMinutes(10), d.workDir());
        loop = TrainingLoop.start(options, Map.of(LocalGlueJob.RESOURCE, TrainingPipelineIT::corruptRunsNamedBroken));
        personalize = PersonalizeClient.builder().endpointOverride(engine.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(e.credentialsProvider()).build();
        runtime = PersonalizeRuntimeClient.builder().endpointOverride(engine.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(e.credentialsProvider()).build();

        // Clustered traffic with tastes a model can learn, inside the window that ends when the run starts.
        RawEvents.upload(stack.s3(), BUCKET, RawEvents.synthetic(SyntheticWorkload.Config.reference(1, 30_000,
                windowStartPlus(Duration.ofMinutes(30)))), "shardId-000000000000");
        first = loop.runOnce("run-1");
        liveAfterFirst = liveVersions();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (runtime != null) runtime.close();
        if (personalize != null) personalize.close();
        if (loop != null) loop.close();
        if (engine != null) engine.close();
        if (stack != null) stack.close();
        deleteRecursively(work);
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    @Order(1)
    void rawEventsBecomeActiveCampaignsServingRecommendations() throws Exception {
        assertThat(first.succeeded()).as("%s: %s %s", first.execution().error(), first.execution().cause(), first.execution().failures()).isTrue();
        assertThat(first.execution().states()).containsSubsequence("PrepareData", "EnsureResources", "StartImport",
                "WaitForImport", "DescribeImport", "TrainVariants", "Evaluate", "UpdateCampaigns", "PublishFallback",
                "NotifySuccess");

        assertThat(liveAfterFirst).containsOnlyKeys("recsys-a", "recsys-b");
        Campaign a = campaign("recsys-a");
        assertThat(a.status()).isEqualTo("ACTIVE");
        List<PredictedItem> recs = runtime.getRecommendations(b -> b.campaignArn(a.campaignArn()).userId("user-000001")
                .numResults(10)).itemList();
        assertThat(recs).hasSize(10).allMatch(i -> i.itemId().startsWith("item-"));

        JsonNode fallback = JSON.readTree(stack.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key("config/popular-items.json")).asByteArray());
        assertThat(fallback.path("model_version").asText()).isEqualTo("run-1");
        assertThat(fallback.path("items")).hasSize(100);
        assertThat(fallback.path("items").get(0).path("score").asDouble())
                .isGreaterThanOrEqualTo(fallback.path("items").get(99).path("score").asDouble());

        assertThat(first.notifications()).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("recsys training run succeeded");
            assertThat(n.message()).contains("imported 30000 interactions", "variant a", "PROMOTE", "100 popular items");
        });
    }

    @Test
    @Order(3)
    void aWorseModelIsRefusedAndTheLiveCampaignsStay() throws Exception {
        // The traffic changed: the window now holds only taste-free noise (uniform items, no clusters).
        S3Client s3 = stack.s3();
        s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("raw/")).contents()
                .forEach(o -> s3.deleteObject(b -> b.bucket(BUCKET).key(o.key())));
        RawEvents.upload(s3, BUCKET, RawEvents.synthetic(new SyntheticWorkload.Config(99, 2_000, 500, 1, 0.9, 0.0, 0.0,
                30_000, windowStartPlus(Duration.ofMinutes(30)), 5)), "shardId-000000000001");

        TrainingLoop.Outcome refused = loop.runOnce("run-worse");

        assertThat(refused.execution().status()).isEqualTo("FAILED");
        assertThat(refused.execution().error()).isEqualTo("QualityGateRejected");
        assertThat(refused.execution().states()).contains("Evaluate", "NotifyRejected").doesNotContain("UpdateCampaigns");
        assertThat(refused.notifications()).singleElement().satisfies(n ->
                assertThat(n.message()).contains("promoted nothing", "variant a", "REFUSED", "NDCG@10"));
        assertThat(liveVersions()).isEqualTo(liveAfterFirst);
    }

    @Test
    @Order(2)
    void aFailedImportNotifiesTheCauseAndLeavesTheLiveCampaigns() throws Exception {
        TrainingLoop.Outcome failed = loop.runOnce("broken-import");

        assertThat(failed.execution().status()).isEqualTo("FAILED");
        assertThat(failed.execution().error()).isEqualTo("TrainingRunFailed");
        assertThat(failed.execution().cause()).contains("ResourceFailedException").contains("SCORE");
        assertThat(failed.execution().states()).contains("DescribeImport", "NotifyFailure").doesNotContain("TrainVariants");
        assertThat(failed.notifications()).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("recsys training run failed");
            assertThat(n.message()).contains("broken-import", "ResourceFailedException", "SCORE");
        });
        assertThat(liveVersions()).isEqualTo(liveAfterFirst);
        Campaign a = campaign("recsys-a");
        assertThat(runtime.getRecommendations(b -> b.campaignArn(a.campaignArn()).userId("user-000002").numResults(5))
                .itemList()).hasSize(5);
    }

    /**
     * Fault injection for runs named broken-*: after the real Spark job, the prepared CSV gets a column the
     * dataset schema does not have, so the engine's import job fails the way Personalize's would.
     */
    private static TaskFunction corruptRunsNamedBroken(TaskFunction glue) {
        return input -> {
            JsonNode out = glue.invoke(input);
            String runId = input.path("Arguments").path("--run-id").asText();
            if (runId.startsWith("broken")) {
                S3Client s3 = stack.s3();
                s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("prepared/" + runId + "/interactions/")).contents()
                        .forEach(o -> s3.putObject(b -> b.bucket(BUCKET).key(o.key()),
                                RequestBody.fromString("USER_ID,ITEM_ID,SCORE,TIMESTAMP\nuser-1,item-1,5,1772366400\n")));
            }
            return out;
        };
    }

    private static long windowStartPlus(Duration d) {
        return Instant.now().minus(Duration.ofHours(WINDOW_HOURS)).plus(d).toEpochMilli();
    }

    private static Campaign campaign(String name) {
        return personalize.listCampaigns(b -> b.maxResults(100)).campaigns().stream().filter(c -> c.name().equals(name))
                .findFirst().map(c -> personalize.describeCampaign(b -> b.campaignArn(c.campaignArn())).campaign())
                .orElseThrow(() -> new AssertionError("no campaign " + name));
    }

    /** Campaign name → the solution version it serves. */
    private static Map<String, String> liveVersions() {
        Map<String, String> out = new TreeMap<>();
        personalize.listCampaigns(b -> b.maxResults(100)).campaigns().forEach(c -> out.put(c.name(),
                personalize.describeCampaign(b -> b.campaignArn(c.campaignArn())).campaign().solutionVersionArn()));
        return out;
    }
}
