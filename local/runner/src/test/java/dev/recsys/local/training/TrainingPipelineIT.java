package dev.recsys.local.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.ArmTotals;
import dev.recsys.common.experiment.DecisionConfig;
import dev.recsys.common.experiment.ExperimentSplit;
import dev.recsys.common.experiment.ResultsCalculator;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.personalize.engine.PersonalizeEngine;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.training.ExperimentConfig;
import dev.recsys.training.ExperimentDataException;
import dev.recsys.training.ExperimentDecision;
import dev.recsys.training.SolutionPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.Campaign;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole offline loop: raw events in local S3 → the deployed ASL run by aws-local-stepfunctions →
 * Spark job (child JVM) → Personalize-compatible engine (import, training, metrics, campaigns) →
 * campaigns serving every route: the A/B variants, related items and ranking. Then the ways a run must
 * not touch what is live: a failed import, models worse than popularity, and models worse than the live ones.
 * Every run that reaches the gate also decides the A/B experiment on the results stored in the
 * {@code experiments} table (policy promote): no winner while the sample is small, one shift of the split
 * once a winner is significant, no second shift on the same results, and a failed decision never stops a run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithLocalStack(services = {Service.DYNAMODB, Service.S3})
class TrainingPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "recsys-training-it";
    private static final int WINDOW_HOURS = 6;
    private static final SyntheticWorkload.Config CLUSTERED = SyntheticWorkload.Config.reference(1, 30_000, windowStartPlus(Duration.ofMinutes(30)));
    /** Every solution of {@link TrainingLoop.Options#defaults}, by role label. */
    private static final Map<String, String> ROLES = Map.of("a", "ab-variant", "b", "ab-variant", "similar", "related-items",
            "ranking", "ranking");
    private static final String EXPERIMENTS_TABLE = "recsys-experiments-it";
    private static final String EXPERIMENT = "recs-ab-1";
    private static final String ROUTE = Exposure.USER_RECOMMENDATIONS;

    private static Path work;
    private static LocalStack stack;
    private static PersonalizeEngine engine;
    private static TrainingLoop.Options options;
    private static TrainingLoop loop;
    private static PersonalizeClient personalize;
    private static PersonalizeRuntimeClient runtime;
    private static TrainingLoop.Outcome first;
    private static Map<String, String> liveAfterFirst;

    @BeforeAll
    static void trainOnce(LocalStack localStack) throws Exception {
        work = Files.createTempDirectory("training-it-");
        stack = localStack;
        stack.createBucket(BUCKET);
        createExperimentsTable(stack.dynamoDb());
        Endpoints e = stack.endpoints();
        engine = PersonalizeEngine.start(EngineConfig.local(work.resolve("engine"), e.s3(), e.accessKey(), e.secretKey(), BUCKET)
                .withStepDelay(Duration.ofMillis(200)));
        TrainingLoop.Options d = TrainingLoop.Options.defaults(LocalStepFunctionsIT.repoRoot(), BUCKET, e.s3(),
                engine.endpoint(), e.region(), e.accessKey(), e.secretKey(), work.resolve("loop"));
        Map<String, Integer> deployed = new LinkedHashMap<>();
        deployed.put("a", 50);
        deployed.put("b", 50);
        // Without trending: the gate never judges it, so a run whose models are all refused would still promote it, and
        // these tests are about the gate (RecsysUpIT serves the trending campaign).
        SolutionPlan judged = new SolutionPlan(d.solutions().variants(), d.solutions().relatedItemsRecipeArn(), d.solutions().rankingRecipeArn());
        options = new TrainingLoop.Options(d.repoRoot(), d.bucket(), d.s3Endpoint(),
                d.personalizeEndpoint(), d.region(), d.accessKey(), d.secretKey(), d.namePrefix(), judged, d.gateTolerance(),
                WINDOW_HOURS, Duration.ofMillis(300), Duration.ofMinutes(10), d.workDir(), null, null, d.filters())
                .withExperiment(e.dynamodb(), new ExperimentConfig(EXPERIMENTS_TABLE, EXPERIMENT, ExperimentDecision.Policy.PROMOTE,
                        ROUTE, 25, deployed));
        loop = TrainingLoop.start(options, Map.of(LocalGlueJob.RESOURCE, TrainingPipelineIT::corruptRunsNamedBroken));
        personalize = PersonalizeClient.builder().endpointOverride(engine.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(e.credentialsProvider()).build();
        runtime = PersonalizeRuntimeClient.builder().endpointOverride(engine.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(e.credentialsProvider()).build();

        // Clustered traffic with tastes a model can learn, inside the window that ends when the run starts.
        replaceRawEvents(CLUSTERED, "shardId-000000000000");
        // The experiment's first results: a strong effect, but too few users for a verdict.
        seedResults(EXPERIMENT, arm(300, 5, 90, 15), arm(300, 5, 75, 15));
        first = loop.runOnce("run-1");
        liveAfterFirst = liveVersions();
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (runtime != null) runtime.close();
        if (personalize != null) personalize.close();
        if (loop != null) loop.close();
        if (engine != null) engine.close();
        deleteRecursively(work); // the stack is @WithLocalStack's to close
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    @Order(1)
    void rawEventsBecomeActiveCampaignsServingEveryRoute() throws Exception {
        assertThat(first.succeeded()).as("%s: %s %s", first.execution().error(), first.execution().cause(), first.execution().failures()).isTrue();
        assertThat(first.execution().states()).containsSubsequence("PrepareData", "EnsureResources", "StartImport",
                "WaitForImport", "DescribeImport", "TrainSolutions", "Evaluate", "DecideExperiment", "UpdateCampaigns", "PublishFallback",
                "NotifySuccess");

        // Variant b is popularity, so it is also the baseline: no separate baseline solution.
        assertThat(personalize.listSolutions(b -> b.maxResults(100)).solutions()).extracting(s -> s.name())
                .containsExactlyInAnyOrder("recsys-a", "recsys-b", "recsys-similar", "recsys-ranking");
        assertThat(liveAfterFirst).containsOnlyKeys("recsys-a", "recsys-b", "recsys-similar", "recsys-ranking");
        // The execution output ($.result.campaigns) names every serving campaign.
        assertThat(first.campaignArns()).containsOnlyKeys("a", "b", "similar", "ranking");
        for (Map.Entry<String, String> c : first.campaignArns().entrySet()) {
            Campaign campaign = campaign("recsys-" + c.getKey());
            assertThat(campaign.campaignArn()).isEqualTo(c.getValue());
            assertThat(campaign.status()).as(c.getKey()).isEqualTo("ACTIVE");
        }
        for (String variant : List.of("a", "b")) {
            List<PredictedItem> recs = runtime.getRecommendations(b -> b.campaignArn(first.campaignArns().get(variant))
                    .userId("user-000001").numResults(10)).itemList();
            assertThat(recs).as(variant).hasSize(10).allMatch(i -> i.itemId().startsWith("item-"));
        }
        assertThat(runtime.getRecommendations(b -> b.campaignArn(first.campaignArns().get("similar")).itemId("item-000003")
                .numResults(10)).itemList()).hasSize(10).noneMatch(i -> i.itemId().equals("item-000003"));
        assertThat(runtime.getPersonalizedRanking(b -> b.campaignArn(first.campaignArns().get("ranking")).userId("user-000001")
                .inputList("item-000001", "item-000002", "item-000003")).personalizedRanking()).hasSize(3);

        assertThat(stack.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(S3Layout.EXPERIMENT_CONFIG_KEY)).contents()).isEmpty();
        JsonNode fallback = JSON.readTree(stack.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key("config/popular-items.json")).asByteArray());
        assertThat(fallback.path("model_version").asText()).isEqualTo("run-1");
        assertThat(fallback.path("items")).hasSize(100);
        assertThat(fallback.path("items").get(0).path("score").asDouble())
                .isGreaterThanOrEqualTo(fallback.path("items").get(99).path("score").asDouble());

        assertThat(first.notifications()).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("recsys training run succeeded");
            assertThat(n.message()).contains("imported 30000 interactions", "a (ab-variant)", "PROMOTE", "100 popular items",
                    "Serving: a, b, similar, ranking.");
            // The success notification carries the experiment decision with its numbers: no verdict on 300 users.
            assertThat(n.message()).contains("Experiment recs-ab-1 on /users/{userId}/recommendations, split a 50 / b 50 as deployed",
                    "b (control): 300 users, 1500 exposures, 75 clicks, CTR 5.00% [", "a: 300 users, 1500 exposures, 90 clicks, CTR 6.00% [",
                    "CTR lift +20.0%", "-> minimum sample not reached").endsWith("CTR (primary metric): no winner yet; split unchanged.");
            // On clustered traffic every personalised solution beats the popularity baseline (b) on both metrics.
            for (String name : List.of("a", "similar", "ranking")) {
                SummaryLine d = SummaryLine.find(n.message(), name, ROLES.get(name));
                System.out.printf("run-1 %s: %s%n", name, d);
                assertThat(d.verdict()).as(name).isEqualTo("PROMOTE");
                assertThat(d.ndcg()).as(name).isGreaterThan(d.baselineNdcg());
                assertThat(d.precision()).as(name).isGreaterThan(d.baselinePrecision());
            }
        });
    }

    @Test
    @Order(2)
    void similarItemsOfAPlantedClusterItemAreMostlyFromThatCluster() {
        SyntheticWorkload workload = new SyntheticWorkload(CLUSTERED);
        String similar = first.campaignArns().get("similar");
        int sameCluster = 0, total = 0;
        for (int i = 0; i < 20; i++) {
            String seed = SyntheticWorkload.itemId(i);
            List<PredictedItem> related = runtime.getRecommendations(b -> b.campaignArn(similar).itemId(seed).numResults(10)).itemList();
            long same = related.stream().filter(r -> workload.clusterOfItem(r.itemId()) == workload.clusterOfItem(seed)).count();
            assertThat(related).hasSize(10);
            assertThat(same).as("items of %s's cluster in its 10 similar items", seed).isGreaterThanOrEqualTo(7);
            sameCluster += (int) same;
            total += related.size();
        }
        System.out.printf("similar items from the seed's cluster: %d of %d (%.1f%%)%n", sameCluster, total, 100.0 * sameCluster / total);
    }

    @Test
    @Order(2)
    void rankingPutsAUsersInClusterItemsAboveOutOfClusterOnes() {
        SyntheticWorkload workload = new SyntheticWorkload(CLUSTERED);
        String ranking = first.campaignArns().get("ranking");
        long above = 0, pairs = 0;
        for (int u = 0; u < 30; u++) {
            String user = SyntheticWorkload.userId(u);
            int cluster = workload.clusterOfUser(user);
            List<String> in = new ArrayList<>(), out = new ArrayList<>();
            for (int i = 0; in.size() < 5 || out.size() < 5; i++) {
                String item = SyntheticWorkload.itemId(i);
                List<String> side = workload.clusterOfItem(item) == cluster ? in : out;
                if (side.size() < 5) side.add(item);
            }
            List<String> candidates = new ArrayList<>(out);
            candidates.addAll(in); // out-of-cluster first: the order the caller gives must not be what wins
            List<String> ranked = runtime.getPersonalizedRanking(b -> b.campaignArn(ranking).userId(user).inputList(candidates))
                    .personalizedRanking().stream().map(PredictedItem::itemId).toList();
            assertThat(ranked).containsExactlyInAnyOrderElementsOf(candidates);
            for (String i : in) {
                for (String o : out) {
                    pairs++;
                    if (ranked.indexOf(i) < ranked.indexOf(o)) above++;
                }
            }
        }
        System.out.printf("ranking: in-cluster item above out-of-cluster item in %d of %d pairs (%.1f%%)%n", above, pairs,
                100.0 * above / pairs);
        assertThat((double) above / pairs).isGreaterThan(0.5);
    }

    @Test
    @Order(3)
    void aFailedImportNotifiesTheCauseAndLeavesTheLiveCampaigns() throws Exception {
        TrainingLoop.Outcome failed = loop.runOnce("broken-import");

        assertThat(failed.execution().status()).isEqualTo("FAILED");
        assertThat(failed.execution().error()).isEqualTo("TrainingRunFailed");
        assertThat(failed.execution().cause()).contains("ResourceFailedException").contains("SCORE");
        assertThat(failed.execution().states()).contains("DescribeImport", "NotifyFailure").doesNotContain("TrainSolutions");
        assertThat(failed.notifications()).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("recsys training run failed");
            assertThat(n.message()).contains("broken-import", "ResourceFailedException", "SCORE");
        });
        assertThat(failed.campaignArns()).isEmpty();
        assertThat(liveVersions()).isEqualTo(liveAfterFirst);
        Campaign a = campaign("recsys-a");
        assertThat(runtime.getRecommendations(b -> b.campaignArn(a.campaignArn()).userId("user-000002").numResults(5))
                .itemList()).hasSize(5);
    }

    @Test
    @Order(4)
    void modelsWorseThanPopularityAreRefusedByTheBaselineRuleAndTheBaselineIsNeverDeployed() throws Exception {
        // Popularity-shaped traffic without taste clusters: nothing personal to learn, so popularity wins. A dataset
        // group of its own ("weak") holds no live versions: only the baseline rule can refuse. With no popularity
        // variant the run trains a baseline solution of its own.
        replaceRawEvents(new SyntheticWorkload.Config(7, 2_000, 500, 1, 0.9, 0.8, 0.0, 30_000,
                windowStartPlus(Duration.ofMinutes(30)), 5), "shardId-000000000002");
        TrainingLoop.Options weakOptions = new TrainingLoop.Options(options.repoRoot(), options.bucket(), options.s3Endpoint(),
                options.personalizeEndpoint(), options.region(), options.accessKey(), options.secretKey(), "weak",
                new SolutionPlan(List.of(new SolutionPlan.Variant("a", "arn:aws:personalize:::recipe/aws-user-personalization-v2")),
                        SolutionPlan.DEFAULT_RELATED_ITEMS_RECIPE, SolutionPlan.DEFAULT_RANKING_RECIPE),
                options.gateTolerance(), WINDOW_HOURS, options.waitOverride(), options.timeout(), work.resolve("weak-loop"),
                options.dynamoDbEndpoint(), new ExperimentConfig(EXPERIMENTS_TABLE, "weak-ab-1", ExperimentDecision.Policy.PROMOTE, ROUTE,
                        25, Map.of("a", 100)), options.filters());
        TrainingLoop.Outcome refused;
        // This run's experiment decision fails: the run goes on, and the refusal says why there is no decision.
        try (TrainingLoop weak = TrainingLoop.start(weakOptions, Map.of(TrainingLoop.FUNCTION_ARN, TrainingPipelineIT::failDecisions))) {
            refused = weak.runOnce("run-weak");
        }

        assertThat(refused.execution().status()).as("%s %s", refused.execution().cause(), refused.execution().failures())
                .isEqualTo("SUCCEEDED");
        assertThat(refused.refused()).isTrue();
        assertThat(refused.execution().states()).contains("TrainSolutions", "Evaluate", "DecideExperiment", "ExperimentUndecided",
                "NotifyRejected", "GateRejected").doesNotContain("UpdateCampaigns", "RunFailed");
        assertThat(refused.notifications()).singleElement().satisfies(n -> {
            assertThat(n.message()).contains("promoted nothing",
                    "baseline (baseline): NDCG@10=", "compared with, never deployed");
            assertThat(n.message()).contains("Experiment decision failed (dev.recsys.training.ExperimentDataException): ",
                    "injected: results unreadable").endsWith("The split is unchanged.");
            for (Map.Entry<String, String> s : Map.of("a", "ab-variant", "similar", "related-items", "ranking", "ranking").entrySet()) {
                SummaryLine d = SummaryLine.find(n.message(), s.getKey(), s.getValue());
                System.out.printf("run-weak %s: %s%n", s.getKey(), d);
                assertThat(d.verdict()).as(s.getKey()).isEqualTo("REFUSED");
                assertThat(d.live()).isEqualTo("none");
                // The reason names the candidate's number and the baseline's.
                assertThat(d.reason()).as(s.getKey()).containsAnyOf(
                        "NDCG@10 " + d.ndcgText() + " is below the popularity baseline's " + d.baselineNdcgText(),
                        "precision@10 " + d.precisionText() + " is below the popularity baseline's " + d.baselinePrecisionText());
            }
        });
        assertThat(personalize.listSolutions(b -> b.maxResults(100)).solutions()).extracting(s -> s.name())
                .contains("weak-a", "weak-similar", "weak-ranking", "weak-baseline");
        assertThat(liveVersions()).isEqualTo(liveAfterFirst); // no weak-* campaign, the baseline's included
    }

    @Test
    @Order(5)
    void aWorseModelIsRefusedAndTheLiveCampaignsStay() throws Exception {
        // The traffic changed: the window now holds only taste-free noise (uniform items, no clusters).
        replaceRawEvents(new SyntheticWorkload.Config(99, 2_000, 500, 1, 0.9, 0.0, 0.0, 30_000,
                windowStartPlus(Duration.ofMinutes(30)), 5), "shardId-000000000001");

        TrainingLoop.Outcome refused = loop.runOnce("run-worse");

        // A refusal is a healthy run: it succeeds (no training-failed alarm) and says so in its notification.
        assertThat(refused.execution().status()).isEqualTo("SUCCEEDED");
        assertThat(refused.refused()).isTrue();
        assertThat(refused.campaignArns()).isEmpty();
        assertThat(refused.execution().states()).contains("Evaluate", "DecideExperiment", "NotifyRejected", "GateRejected")
                .doesNotContain("UpdateCampaigns", "RunFailed");
        assertThat(refused.notifications()).singleElement().satisfies(n -> {
            assertThat(n.message()).contains("promoted nothing", "a (ab-variant)", "REFUSED", "NDCG@10");
            // The refusal carries the experiment decision too.
            assertThat(n.message()).contains(". Experiment recs-ab-1 on /users/{userId}/recommendations",
                    "a: 300 users, 1500 exposures, 90 clicks", "-> minimum sample not reached").endsWith("no winner yet; split unchanged.");
            // Every route's model is held against its own live version.
            for (Map.Entry<String, String> s : ROLES.entrySet()) {
                SummaryLine d = SummaryLine.find(n.message(), s.getKey(), s.getValue());
                assertThat(d.verdict()).as(s.getKey()).isEqualTo("REFUSED");
                assertThat(d.reason()).as(s.getKey()).contains("is below the live");
            }
        });
        assertThat(liveVersions()).isEqualTo(liveAfterFirst);
    }

    @Test
    @Order(6)
    void aSignificantWinnerIsPromotedOnceAndTheSameResultsNeverShiftTwice() throws Exception {
        // Two more looks of the consumer's calculator (running p-values carried): 4000 users per arm, a's CTR 6% against 5%.
        seedResults(EXPERIMENT, arm(2000, 5, 600, 40), arm(2000, 5, 500, 40));
        List<ArmResult> rows = seedResults(EXPERIMENT, arm(4000, 5, 1200, 80), arm(4000, 5, 1000, 80));
        ArmResult a = rows.stream().filter(r -> r.variant().equals("a")).findFirst().orElseThrow();
        ArmResult b = rows.stream().filter(r -> r.variant().equals("b")).findFirst().orElseThrow();
        assertThat(b.control()).isTrue();
        assertThat(a.ctrVerdict().significant()).as("the seeded results have a winner").isTrue();
        assertThat(a.looks()).isEqualTo(3);

        TrainingLoop.Outcome decided = loop.runOnce("run-decide");
        assertThat(decided.execution().states()).contains("DecideExperiment").doesNotContain("ExperimentUndecided");

        byte[] published = stack.s3().getObjectAsBytes(r -> r.bucket(BUCKET).key(S3Layout.EXPERIMENT_CONFIG_KEY)).asByteArray();
        ExperimentSplit split = ExperimentSplit.parse(published);
        assertThat(split.salt()).isEqualTo(EXPERIMENT);
        assertThat(split.experiment()).isEqualTo("recs-ab-1-p2");
        assertThat(split.variants()).containsExactly(new ExperimentSplit.Arm("a", first.campaignArns().get("a"), 75),
                new ExperimentSplit.Arm("b", first.campaignArns().get("b"), 25));
        assertThat(Instant.parse(split.decidedAt())).isBetween(Instant.now().minus(Duration.ofMinutes(10)), Instant.now());
        assertThat(split.reason()).startsWith("a wins on CTR in recs-ab-1 at look 3 (results computed ")
                .endsWith("4000 vs 4000 users; a 50\u219275, b 50\u219225");

        String p = String.format(Locale.ROOT, "%.3g", a.ctrVerdict().comparison().runningPValue());
        assertThat(decided.notifications()).singleElement().satisfies(n -> {
            System.out.printf("run-decide SNS %s: %s%n", n.subject(), n.message());
            assertThat(n.message()).contains(
                    "Experiment recs-ab-1 on /users/{userId}/recommendations, split a 50 / b 50 as deployed, results look 3 computed ",
                    "b (control): 4000 users, 20000 exposures, 1000 clicks, CTR " + estimate(b.ctr().estimate(), b.ctr().ciLow(), b.ctr().ciHigh()),
                    "a: 4000 users, 20000 exposures, 1200 clicks, CTR " + estimate(a.ctr().estimate(), a.ctr().ciLow(), a.ctr().ciHigh()),
                    "CTR lift +20.0%, always-valid p=" + p + ", difference +1.00 pp, always-valid CI [" + String.format(Locale.ROOT,
                            "%+.2f, %+.2f", 100 * a.ctrVerdict().comparison().ciLow(), 100 * a.ctrVerdict().comparison().ciHigh()) + "] pp -> a wins",
                    "conversions lift +0.0%",
                    "CTR (primary metric): a wins (a CTR 6.00% vs b 5.00%, lift +20.0%, always-valid p=" + p + ", 4000 vs 4000 users)")
                    .endsWith("promote: a 50\u219275, b 50\u219225, new phase recs-ab-1-p2.");
        });

        // The next run finds the same results: they are of the previous phase, so nothing moves again.
        TrainingLoop.Outcome again = loop.runOnce("run-decide-again");
        assertThat(again.notifications()).singleElement().satisfies(n -> {
            System.out.printf("run-decide-again SNS %s: %s%n", n.subject(), n.message());
            assertThat(n.message()).contains("Experiment recs-ab-1-p2 (salt recs-ab-1) on /users/{userId}/recommendations, split a 75 / b 25"
                            + " published " + split.decidedAt() + ": no results yet for this phase (this split was published because "
                            + split.reason() + ")")
                    .endsWith("Split unchanged.");
        });
        assertThat(stack.s3().getObjectAsBytes(r -> r.bucket(BUCKET).key(S3Layout.EXPERIMENT_CONFIG_KEY)).asByteArray()).isEqualTo(published);
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

    /** The decision step fails as it would on a corrupt published split. */
    private static TaskFunction failDecisions(TaskFunction tasks) {
        return input -> {
            if ("decideExperiment".equals(input.path("action").asText())) {
                throw new ExperimentDataException("injected: results unreadable");
            }
            return tasks.invoke(input);
        };
    }

    /** The table the consumer fleet writes results to (kcl-consumer's StoreBootstrap creates it the same way). */
    private static void createExperimentsTable(DynamoDbClient dynamo) {
        dynamo.createTable(b -> b.tableName(EXPERIMENTS_TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName(ExperimentKeys.EXPERIMENT).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ExperimentKeys.ARM).attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName(ExperimentKeys.EXPERIMENT).keyType(KeyType.HASH),
                        k -> k.attributeName(ExperimentKeys.ARM).keyType(KeyType.RANGE)));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(EXPERIMENTS_TABLE));
    }

    /** {@code users} users who each saw {@code perUser} answers, the clicks and conversions spread over them one by one. */
    private static ArmTotals arm(long users, long perUser, long clicks, long conversions) {
        ArmTotals t = ArmTotals.EMPTY;
        for (long u = 0; u < users; u++) {
            t = t.plusUser(perUser, clicks / users + (u < clicks % users ? 1 : 0), conversions / users + (u < conversions % users ? 1 : 0));
        }
        return t;
    }

    /**
     * One look at the experiment as the consumer's results job takes it: {@link ResultsCalculator} on the arms' totals
     * (b, the popularity variant, is the control), carrying the stored rows' running p-values, written the way it writes them.
     */
    private static List<ArmResult> seedResults(String phase, ArmTotals a, ArmTotals b) throws Exception {
        DynamoDbClient dynamo = stack.dynamoDb();
        Map<ResultsCalculator.Arm, ArmResult> previous = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : dynamo.scan(r -> r.tableName(EXPERIMENTS_TABLE).consistentRead(true)).items()) {
            ArmResult r = JSON.readValue(item.get(ExperimentKeys.RESULT).s(), ArmResult.class);
            previous.put(new ResultsCalculator.Arm(r.experiment(), r.route(), r.variant()), r);
        }
        List<ArmResult> rows = new ResultsCalculator(DecisionConfig.DEFAULTS, "b").look(Map.of(
                new ResultsCalculator.Arm(phase, ROUTE, "a"), a, new ResultsCalculator.Arm(phase, ROUTE, "b"), b), previous,
                System.currentTimeMillis());
        for (ArmResult r : rows) {
            String result = JSON.writeValueAsString(r);
            dynamo.putItem(p -> p.tableName(EXPERIMENTS_TABLE).item(Map.of(
                    ExperimentKeys.EXPERIMENT, AttributeValue.fromS(r.experiment()),
                    ExperimentKeys.ARM, AttributeValue.fromS(ExperimentKeys.resultArm(r.route(), r.variant())),
                    ExperimentKeys.RESULT, AttributeValue.fromS(result),
                    ExperimentKeys.COMPUTED_AT, AttributeValue.fromN(Long.toString(r.computedAt())))));
        }
        return rows;
    }

    /** A rate and its interval as the decision step writes them. */
    private static String estimate(double rate, double low, double high) {
        return String.format(Locale.ROOT, "%.2f%% [%.2f%%, %.2f%%]", 100 * rate, 100 * low, 100 * high);
    }

    /** The window now holds only these events (the raw layout the consumer writes). */
    private static void replaceRawEvents(SyntheticWorkload.Config workload, String shard) {
        S3Client s3 = stack.s3();
        s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("raw/")).contents()
                .forEach(o -> s3.deleteObject(b -> b.bucket(BUCKET).key(o.key())));
        RawEvents.upload(s3, BUCKET, RawEvents.synthetic(workload), shard);
    }

    /**
     * One solution's line of the run summary: {@code <name> (<role>): candidate NDCG@10=x precision@10=y, live ...,
     * baseline NDCG@10=u precision@10=v -> PROMOTE|REFUSED (<reason>)}.
     */
    private record SummaryLine(String ndcgText, String precisionText, String live, String baselineNdcgText,
                            String baselinePrecisionText, String verdict, String reason) {

        static SummaryLine find(String summary, String name, String role) {
            Matcher m = Pattern.compile(Pattern.quote(name + " (" + role + "): candidate ")
                    + "NDCG@10=([0-9.]+) precision@10=([0-9.]+), live (none|NDCG@10=[0-9.]+ precision@10=[0-9.]+), "
                    + "baseline NDCG@10=([0-9.]+) precision@10=([0-9.]+) -> (PROMOTE|REFUSED) \\((.*?)\\)"
                    // the reason ends where the next solution's line, the rest of the message, the experiment decision or
                    // the message ends
                    + "(?=; [a-z0-9-]+ \\(|\\. Campaigns updated|\\. Experiment|$)").matcher(summary);
            assertThat(m.find()).as("decision of %s in: %s", name, summary).isTrue();
            return new SummaryLine(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7));
        }

        double ndcg() {
            return Double.parseDouble(ndcgText);
        }

        double precision() {
            return Double.parseDouble(precisionText);
        }

        double baselineNdcg() {
            return Double.parseDouble(baselineNdcgText);
        }

        double baselinePrecision() {
            return Double.parseDouble(baselinePrecisionText);
        }
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
