package dev.recsys.personalize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.Campaign;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.LimitExceededException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.SolutionVersion;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsClient;
import software.amazon.awssdk.services.personalizeevents.model.Event;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;

/**
 * The unchanged SDK v2 clients drive the engine through the whole training loop: dataset group,
 * schema, dataset, import from S3, solutions, versions with metrics, campaigns, updates, runtime,
 * real-time events, typed errors, and a restart that keeps everything.
 */
@WithLocalStack(services = Service.S3)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PersonalizeEngineIT {

    static final String BUCKET = "recsys-engine-it";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String USER = "user-000001";

    static LocalStack stack;
    @TempDir
    static Path stateDir;
    static PersonalizeEngine engine;
    static PersonalizeClient personalize;
    static PersonalizeRuntimeClient runtime;
    static PersonalizeEventsClient events;

    static String datasetGroupArn, datasetArn, userVersionArn, popularityVersionArn, campaignArn, trackingId;

    @BeforeAll
    static void start(LocalStack s) throws Exception {
        stack = s;
        stack.createBucket(BUCKET);
        stack.s3().putObject(b -> b.bucket(BUCKET).key("prepared/run-1/part-00000.csv"), RequestBody.fromString(EngineFixture.csv(30_000)));
        stack.s3().putObject(b -> b.bucket(BUCKET).key("prepared/tiny/part-00000.csv"), RequestBody.fromString(EngineFixture.csv(300)));
        stack.s3().putObject(b -> b.bucket(BUCKET).key("prepared/no-timestamp/part.csv"),
                RequestBody.fromString("USER_ID,ITEM_ID,EVENT_TYPE\nu1,i1,view\n"));
        startEngine();
        // Load the SDK's request classes once, so the first observed poll is not slower than a lifecycle step.
        assertThatThrownBy(() -> personalize.describeDatasetGroup(b -> b.datasetGroupArn("arn:aws:personalize:us-east-1:000000000000:dataset-group/warm-up")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    static void startEngine() {
        engine = PersonalizeEngine.start(EngineFixture.config(stack.endpoints(), stateDir, BUCKET));
        personalize = EngineFixture.control(engine.endpoint());
        runtime = EngineFixture.runtime(engine.endpoint());
        events = EngineFixture.events(engine.endpoint());
    }

    static void stopEngine() {
        personalize.close();
        runtime.close();
        events.close();
        engine.close();
    }

    @AfterAll
    static void stop() {
        if (engine != null) stopEngine();
    }

    @Test
    @Order(1)
    void datasetGroupSchemaAndDatasetGoThroughTheLifecycle() {
        datasetGroupArn = personalize.createDatasetGroup(b -> b.name("it-group")).datasetGroupArn();
        assertThat(datasetGroupArn).isEqualTo("arn:aws:personalize:us-east-1:000000000000:dataset-group/it-group");
        List<String> seen = statusesUntilDone(() -> personalize.describeDatasetGroup(b -> b.datasetGroupArn(datasetGroupArn)).datasetGroup().status());
        assertLifecycle(seen);

        String schemaArn = personalize.createSchema(b -> b.name("it-interactions").schema(EngineFixture.INTERACTIONS_SCHEMA)).schemaArn();
        assertThat(personalize.listSchemas(b -> {}).schemas()).anyMatch(x -> x.schemaArn().equals(schemaArn));
        datasetArn = personalize.createDataset(b -> b.name("it-interactions").datasetGroupArn(datasetGroupArn)
                .datasetType("Interactions").schemaArn(schemaArn)).datasetArn();
        assertThat(datasetArn).isEqualTo("arn:aws:personalize:us-east-1:000000000000:dataset/it-group/INTERACTIONS");
        statusesUntilDone(() -> personalize.describeDataset(b -> b.datasetArn(datasetArn)).dataset().status());
        assertThat(personalize.listDatasets(b -> b.datasetGroupArn(datasetGroupArn)).datasets()).hasSize(1);
    }

    @Test
    @Order(2)
    void importsTooLittleDataOrAMissingColumnFailWithAReason() {
        DatasetImportJob tiny = importJob("it-tiny", "s3://" + BUCKET + "/prepared/tiny/");
        assertThat(tiny.status()).isEqualTo("CREATE FAILED");
        assertThat(tiny.failureReason()).contains("Insufficient data").contains("1000 interactions").contains("300 interactions");

        DatasetImportJob broken = importJob("it-no-timestamp", "s3://" + BUCKET + "/prepared/no-timestamp/part.csv");
        assertThat(broken.status()).isEqualTo("CREATE FAILED");
        assertThat(broken.failureReason()).contains("missing required columns [TIMESTAMP]");

        DatasetImportJob nothing = importJob("it-nothing-there", "s3://" + BUCKET + "/prepared/does-not-exist/");
        assertThat(nothing.failureReason()).contains("No CSV file found");
    }

    @Test
    @Order(3)
    void importsTheGlueJobsCsvFromS3() {
        DatasetImportJob job = importJob("it-import-1", "s3://" + BUCKET + "/prepared/run-1/");
        assertThat(job.status()).isEqualTo("ACTIVE");
        assertThat(job.failureReason()).isNull();
        assertThat(personalize.listDatasetImportJobs(b -> b.datasetArn(datasetArn)).datasetImportJobs()).hasSize(4);
    }

    @Test
    @Order(4)
    void trainsSolutionVersionsAndReportsPersonalizeMetrics() {
        userVersionArn = trainedVersion("it-user", "arn:aws:personalize:::recipe/aws-user-personalization-v2", Map.of());
        popularityVersionArn = trainedVersion("it-popular", "arn:aws:personalize:::recipe/aws-popularity-count", Map.of());

        Map<String, Double> user = personalize.getSolutionMetrics(b -> b.solutionVersionArn(userVersionArn)).metrics();
        Map<String, Double> popular = personalize.getSolutionMetrics(b -> b.solutionVersionArn(popularityVersionArn)).metrics();
        assertThat(user).containsOnlyKeys("coverage", "mean_reciprocal_rank_at_25",
                "normalized_discounted_cumulative_gain_at_5", "normalized_discounted_cumulative_gain_at_10",
                "normalized_discounted_cumulative_gain_at_25", "precision_at_5", "precision_at_10", "precision_at_25");
        assertThat(user.get("normalized_discounted_cumulative_gain_at_10"))
                .isGreaterThan(2 * popular.get("normalized_discounted_cumulative_gain_at_10"));
        // A solution configured to model only the 10 most popular items is a deliberately worse model for a quality gate.
        String weakVersionArn = trainedVersion("it-weak", "arn:aws:personalize:::recipe/aws-user-personalization",
                Map.of("max_items", "10"));
        Map<String, Double> weak = personalize.getSolutionMetrics(b -> b.solutionVersionArn(weakVersionArn)).metrics();
        assertThat(weak.get("normalized_discounted_cumulative_gain_at_10"))
                .isLessThan(0.7 * user.get("normalized_discounted_cumulative_gain_at_10"));
        assertThat(weak.get("precision_at_10")).isLessThan(user.get("precision_at_10"));
        assertThat(personalize.describeSolution(b -> b.solutionArn(userVersionArn.substring(0, userVersionArn.lastIndexOf('/'))))
                .solution().latestSolutionVersion().status()).isEqualTo("ACTIVE");
        SolutionVersion v = personalize.describeSolutionVersion(b -> b.solutionVersionArn(userVersionArn)).solutionVersion();
        assertThat(v.trainingHours()).isPositive();
        assertThat(v.recipeArn()).isEqualTo("arn:aws:personalize:::recipe/aws-user-personalization-v2");
        // The model artefact is in S3 under models/<solution-version-id>/.
        String id = userVersionArn.substring(userVersionArn.lastIndexOf('/') + 1);
        assertThat(stack.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("models/" + id + "/")).contents()).isNotEmpty();
    }

    @Test
    @Order(5)
    void aCampaignServesRecommendationsWithoutTheUsersHistory() {
        campaignArn = personalize.createCampaign(b -> b.name("it-campaign").solutionVersionArn(userVersionArn).minProvisionedTPS(1)).campaignArn();
        statusesUntilDone(() -> personalize.describeCampaign(b -> b.campaignArn(campaignArn)).campaign().status());

        List<PredictedItem> items = runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER).numResults(10)).itemList();
        assertThat(items).hasSize(10);
        assertThat(items).allMatch(i -> i.score() >= 0 && i.score() <= 1);
        Set<String> history = historyOf(USER);
        assertThat(items).noneMatch(i -> history.contains(i.itemId()));

        List<String> cold = ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId("someone-new").numResults(5)).itemList());
        List<String> popular = ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId("someone-else-new").numResults(5)).itemList());
        assertThat(cold).hasSize(5).isEqualTo(popular);
    }

    @Test
    @Order(6)
    void putEventsChangesTheNextAnswerInRealTime() {
        trackingId = personalize.createEventTracker(b -> b.name("it-tracker").datasetGroupArn(datasetGroupArn)).trackingId();
        String trackerArn = personalize.listEventTrackers(b -> b.datasetGroupArn(datasetGroupArn)).eventTrackers().get(0).eventTrackerArn();
        statusesUntilDone(() -> personalize.describeEventTracker(b -> b.eventTrackerArn(trackerArn)).eventTracker().status());

        String newcomer = "rt-user-1";
        List<String> before = ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(newcomer).numResults(10)).itemList());
        List<String> clicked = before.subList(0, 3);
        events.putEvents(b -> b.trackingId(trackingId).userId(newcomer).sessionId("s-1").eventList(
                clicked.stream().map(i -> Event.builder().eventType("click").itemId(i).sentAt(Instant.now()).build()).toList()));
        List<String> after = ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(newcomer).numResults(10)).itemList());
        assertThat(after).doesNotContainAnyElementsOf(clicked).isNotEqualTo(before);

        // An event from a recommendation: its recommendationId and impression are taken and kept as sent.
        var answer = runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(newcomer).numResults(5));
        List<String> shown = ids(answer.itemList());
        events.putEvents(b -> b.trackingId(trackingId).userId(newcomer).sessionId("s-1").eventList(Event.builder()
                .eventType("click").itemId(shown.get(1)).sentAt(Instant.now()).recommendationId(answer.recommendationId())
                .impression(shown).build()));
        var received = engine.trackedEvents(trackingId, newcomer);
        assertThat(received.get(received.size() - 1)).isEqualTo(new dev.recsys.personalize.engine.runtime.TrackedEvents.Received(
                shown.get(1), "click", answer.recommendationId(), shown));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 26; i++) tooMany.add("item-" + i);
        assertThatThrownBy(() -> events.putEvents(b -> b.trackingId(trackingId).userId(newcomer).sessionId("s-1").eventList(
                Event.builder().eventType("click").itemId("item-1").sentAt(Instant.now()).impression(tooMany).build())))
                .isInstanceOf(software.amazon.awssdk.services.personalizeevents.model.InvalidInputException.class)
                .hasMessageContaining("impression");
    }

    @Test
    @Order(7)
    void typedErrorsForBadRequests() {
        assertThatThrownBy(() -> personalize.describeCampaign(b -> b.campaignArn("arn:aws:personalize:us-east-1:000000000000:campaign/nope")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> personalize.createDatasetGroup(b -> b.name("it-group")))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> personalize.createDatasetGroup(b -> b.name("bad name!")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> personalize.createSchema(b -> b.name("broken").schema("{not json")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> personalize.createSolution(b -> b.name("x").datasetGroupArn(datasetGroupArn)
                .recipeArn("arn:aws:personalize:::recipe/aws-unknown"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> personalize.createSolution(b -> b.name("x").datasetGroupArn(datasetGroupArn)
                .recipeArn("arn:aws:personalize:::recipe/aws-user-personalization")
                .solutionConfig(c -> c.algorithmHyperParameters(Map.of("ease_lambda", "lots")))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ease_lambda");
        assertThatThrownBy(() -> personalize.createEventTracker(b -> b.name("it-tracker-2").datasetGroupArn(datasetGroupArn)))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> personalize.deleteDatasetGroup(b -> b.datasetGroupArn(datasetGroupArn)))
                .isInstanceOf(ResourceInUseException.class);
        String solutionArn = userVersionArn.substring(0, userVersionArn.lastIndexOf('/'));
        String training = personalize.createSolutionVersion(b -> b.solutionArn(solutionArn)).solutionVersionArn();
        assertThatThrownBy(() -> personalize.createSolutionVersion(b -> b.solutionArn(solutionArn)))
                .isInstanceOf(ResourceInUseException.class).hasMessageContaining("in progress");
        assertThatThrownBy(() -> personalize.getSolutionMetrics(b -> b.solutionVersionArn(training)))
                .isInstanceOf(ResourceInUseException.class);
        statusesUntilDone(() -> personalize.describeSolutionVersion(b -> b.solutionVersionArn(training)).solutionVersion().status());

        assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(campaignArn + "-missing").userId(USER)))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.ResourceNotFoundException.class);
        assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER).numResults(501)))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class);
        assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER)
                .filterArn("arn:aws:personalize:us-east-1:000000000000:filter/f")))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.ResourceNotFoundException.class)
                .hasMessageContaining("filter/f does not exist");
        assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(campaignArn).itemId("item-000001")))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class)
                .hasMessageContaining("userId is required");
        List<Event> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) eleven.add(Event.builder().eventType("click").itemId("item-000001").sentAt(Instant.now()).build());
        assertThatThrownBy(() -> events.putEvents(b -> b.trackingId(trackingId).userId(USER).sessionId("s").eventList(eleven)))
                .isInstanceOf(software.amazon.awssdk.services.personalizeevents.model.InvalidInputException.class);
        assertThatThrownBy(() -> events.putEvents(b -> b.trackingId("no-such-tracker").userId(USER).sessionId("s")
                .eventList(eleven.subList(0, 1))))
                .isInstanceOf(software.amazon.awssdk.services.personalizeevents.model.ResourceNotFoundException.class);
    }

    @Test
    @Order(8)
    void relatedItemsAndPersonalizedRankingCampaigns() {
        String simsVersion = trainedVersion("it-sims", "arn:aws:personalize:::recipe/aws-sims", Map.of());
        String sims = activeCampaign("it-sims-campaign", simsVersion);
        List<PredictedItem> related = runtime.getRecommendations(b -> b.campaignArn(sims).itemId("item-000010").numResults(5)).itemList();
        assertThat(related).hasSize(5).noneMatch(i -> i.itemId().equals("item-000010"));
        assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(sims).userId(USER)))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class)
                .hasMessageContaining("itemId is required");

        String rankingVersion = trainedVersion("it-ranking", "arn:aws:personalize:::recipe/aws-personalized-ranking", Map.of());
        String ranking = activeCampaign("it-ranking-campaign", rankingVersion);
        // The user-personalization model's top pick must come first among random candidates.
        String top = runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER).numResults(1)).itemList().get(0).itemId();
        List<String> candidates = List.of("item-000400", "never-seen", top, "item-000401");
        List<String> ranked = ids(runtime.getPersonalizedRanking(b -> b.campaignArn(ranking).userId(USER).inputList(candidates)).personalizedRanking());
        assertThat(ranked).containsExactlyInAnyOrderElementsOf(candidates);
        assertThat(ranked.get(0)).isEqualTo(top);
        assertThat(ranked.get(3)).isEqualTo("never-seen");
        assertThatThrownBy(() -> runtime.getRecommendations(b -> b.campaignArn(ranking).userId(USER)))
                .isInstanceOf(software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException.class);
    }

    @Test
    @Order(9)
    void updateCampaignSwitchesTheServedVersionOnlyWhenTheUpdateIsActive() {
        List<String> before = ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER).numResults(10)).itemList());
        personalize.updateCampaign(b -> b.campaignArn(campaignArn).solutionVersionArn(popularityVersionArn));
        Campaign during = personalize.describeCampaign(b -> b.campaignArn(campaignArn)).campaign();
        assertThat(during.status()).isEqualTo("ACTIVE");
        assertThat(during.solutionVersionArn()).isEqualTo(userVersionArn);
        assertThat(during.latestCampaignUpdate().status()).isIn("CREATE PENDING", "CREATE IN_PROGRESS"); // a step may pass
        assertThatThrownBy(() -> personalize.updateCampaign(b -> b.campaignArn(campaignArn).solutionVersionArn(userVersionArn)))
                .isInstanceOf(ResourceInUseException.class);
        List<String> seen = statusesUntilDone(() -> personalize.describeCampaign(b -> b.campaignArn(campaignArn)).campaign().latestCampaignUpdate().status());
        assertLifecycle(seen);
        assertThat(personalize.describeCampaign(b -> b.campaignArn(campaignArn)).campaign().solutionVersionArn()).isEqualTo(popularityVersionArn);
        List<String> after = ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER).numResults(10)).itemList());
        assertThat(after).isNotEqualTo(before);
        // Back to the personalised version for the restart test.
        personalize.updateCampaign(b -> b.campaignArn(campaignArn).solutionVersionArn(userVersionArn));
        statusesUntilDone(() -> personalize.describeCampaign(b -> b.campaignArn(campaignArn)).campaign().latestCampaignUpdate().status());
        assertThat(ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER).numResults(10)).itemList())).isEqualTo(before);
    }

    @Test
    @Order(10)
    void aRestartKeepsResourcesMetricsModelsAndRealTimeHistory() {
        List<String> answer = ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER).numResults(10)).itemList());
        List<String> newcomer = ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId("rt-user-1").numResults(10)).itemList());
        Map<String, Double> metrics = personalize.getSolutionMetrics(b -> b.solutionVersionArn(userVersionArn)).metrics();

        stopEngine();
        startEngine();

        assertThat(personalize.describeCampaign(b -> b.campaignArn(campaignArn)).campaign().status()).isEqualTo("ACTIVE");
        assertThat(personalize.getSolutionMetrics(b -> b.solutionVersionArn(userVersionArn)).metrics()).isEqualTo(metrics);
        assertThat(ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId(USER).numResults(10)).itemList())).isEqualTo(answer);
        assertThat(ids(runtime.getRecommendations(b -> b.campaignArn(campaignArn).userId("rt-user-1").numResults(10)).itemList())).isEqualTo(newcomer);
        assertThat(personalize.listCampaigns(b -> {}).campaigns()).hasSize(3);
    }

    // ---- helpers ----

    static DatasetImportJob importJob(String name, String location) {
        String arn = personalize.createDatasetImportJob(b -> b.jobName(name).datasetArn(datasetArn)
                .roleArn("arn:aws:iam::000000000000:role/personalize").dataSource(d -> d.dataLocation(location))).datasetImportJobArn();
        statusesUntilDone(() -> personalize.describeDatasetImportJob(b -> b.datasetImportJobArn(arn)).datasetImportJob().status());
        return personalize.describeDatasetImportJob(b -> b.datasetImportJobArn(arn)).datasetImportJob();
    }

    static String trainedVersion(String solutionName, String recipeArn, Map<String, String> hyperparameters) {
        String solutionArn = personalize.createSolution(b -> b.name(solutionName).datasetGroupArn(datasetGroupArn).recipeArn(recipeArn)
                .solutionConfig(c -> c.algorithmHyperParameters(hyperparameters))).solutionArn();
        statusesUntilDone(() -> personalize.describeSolution(b -> b.solutionArn(solutionArn)).solution().status());
        String arn = personalize.createSolutionVersion(b -> b.solutionArn(solutionArn)).solutionVersionArn();
        List<String> seen = statusesUntilDone(() -> personalize.describeSolutionVersion(b -> b.solutionVersionArn(arn)).solutionVersion().status());
        assertLifecycle(seen);
        return arn;
    }

    static String activeCampaign(String name, String versionArn) {
        String arn = personalize.createCampaign(b -> b.name(name).solutionVersionArn(versionArn)).campaignArn();
        statusesUntilDone(() -> personalize.describeCampaign(b -> b.campaignArn(arn)).campaign().status());
        return arn;
    }

    /** Polls like a Step Functions wait loop; returns the distinct statuses seen, in order. */
    /**
     * What a poller sees is the lifecycle in order, ending ACTIVE. Which transient states it catches depends on how
     * soon its first Describe lands (a loaded machine can miss a 200 ms step), so the full step order is asserted
     * where no network timing is involved: {@code LifecycleTest}.
     */
    static void assertLifecycle(List<String> seen) {
        assertThat(seen).isSubsetOf("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE").endsWith("ACTIVE");
        List<String> order = List.of("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE");
        assertThat(seen).isSortedAccordingTo(java.util.Comparator.comparingInt(order::indexOf));
    }

    static List<String> statusesUntilDone(Supplier<String> status) {
        List<String> seen = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            String s = status.get();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) seen.add(s);
            return s.equals("ACTIVE") || s.equals("CREATE FAILED");
        });
        return seen;
    }

    static Set<String> historyOf(String user) {
        Set<String> items = new HashSet<>();
        for (String line : EngineFixture.csv(30_000).split("\n")) {
            if (line.startsWith(user + ",")) items.add(line.split(",")[1]);
        }
        return items;
    }

    static List<String> ids(List<PredictedItem> items) {
        return items.stream().map(PredictedItem::itemId).toList();
    }
}
