package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PreparationManifest.PopularItem;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingTasksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "data";
    private static final String RECIPE_A = "arn:aws:personalize:::recipe/aws-user-personalization-v2";
    private static final String RECIPE_B = "arn:aws:personalize:::recipe/aws-popularity-count";
    private static final List<SolutionPlan.Variant> A_B = List.of(new SolutionPlan.Variant("a", RECIPE_A), new SolutionPlan.Variant("b", RECIPE_B));

    private final FakePersonalize personalize = new FakePersonalize();
    private final FakeS3 s3 = new FakeS3();
    private TrainingTasks tasks = tasks(SolutionPlan.withDefaults(A_B));

    private static TrainingConfig config(boolean terraformOwned, SolutionPlan plan) {
        return new TrainingConfig("us-east-1", BUCKET, "recsys", plan, "arn:aws:iam::000000000000:role/import", 0.02,
                terraformOwned, true, 3, 1, null, null, null, null);
    }

    private TrainingTasks tasks(SolutionPlan plan) {
        return new TrainingTasks(config(false, plan), personalize, s3, null, Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
    }

    private JsonNode run(String action, Object... fields) {
        ObjectNode in = JSON.createObjectNode().put("action", action);
        for (int i = 0; i < fields.length; i += 2) in.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        return tasks.handle(in);
    }

    /** The ensureResources entry of a solution, by name. */
    private static JsonNode solution(JsonNode resources, String name) {
        for (JsonNode s : resources.path("solutions")) if (s.path("solution").asText().equals(name)) return s;
        throw new AssertionError("no solution " + name + " in " + resources);
    }

    private static String solutionArn(JsonNode resources, String name) {
        return solution(resources, name).path("solutionArn").asText();
    }

    private JsonNode readyResources() {
        run("ensureResources");
        personalize.activateAll();
        run("ensureResources");
        personalize.activateAll();
        return run("ensureResources");
    }

    @Test
    void ensureResourcesWalksTheLifecycleAndNeverCreatesTwice() {
        JsonNode first = run("ensureResources");
        assertThat(first.path("ready").asBoolean()).isFalse();
        assertThat(first.path("pending").toString()).contains("dataset group recsys is CREATE PENDING");
        assertThat(personalize.count("createDatasetGroup")).isEqualTo(1);

        // Still pending: asking again creates nothing new.
        run("ensureResources");
        assertThat(personalize.count("createDatasetGroup")).isEqualTo(1);

        personalize.activateAll();
        JsonNode second = run("ensureResources");
        assertThat(second.path("ready").asBoolean()).isFalse();
        assertThat(personalize.count("createDataset")).as("Interactions, Items and Users").isEqualTo(3);
        assertThat(personalize.count("createEventTracker")).isEqualTo(1);
        assertThat(personalize.count("createSolution")).as("a, b, similar, ranking, trending").isEqualTo(5);
        FakePersonalize.Res schema = personalize.schemas.values().stream()
                .filter(r -> r.name().equals("recsys-interactions-v-imp")).findFirst().orElseThrow();
        assertThat(schema.name()).isEqualTo("recsys-interactions-v-imp");
        // Every column the Glue job writes, IMPRESSION and RECOMMENDATION_ID as Personalize's optional strings.
        assertThat(schema.extra())
                .contains("\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]").contains("\"TIMESTAMP\",\"type\":\"long\"")
                .contains("{\"name\":\"IMPRESSION\",\"type\":[\"null\",\"string\"]}")
                .contains("{\"name\":\"RECOMMENDATION_ID\",\"type\":[\"null\",\"string\"]}");

        personalize.activateAll();
        JsonNode ready = run("ensureResources");
        assertThat(ready.path("ready").asBoolean()).isTrue();
        assertThat(ready.path("trackingId").asText()).isEqualTo("tracking-recsys-events");
        assertThat(ready.path("solutions")).hasSize(5);
        assertThat(ready.path("solutions").get(1).path("campaignName").asText()).isEqualTo("recsys-b");
        assertThat(personalize.count("createSchema")).as("Interactions, Items and Users").isEqualTo(3);
        assertThat(personalize.count("createSolution")).isEqualTo(5);
    }

    @Test
    void everyRouteGetsASolutionWithARoleAndAPredictableCampaignName() {
        JsonNode ready = readyResources();
        assertThat(ready.path("baseline").asText()).isEqualTo("b");
        JsonNode similar = solution(ready, "similar");
        assertThat(similar.path("role").asText()).isEqualTo("related-items");
        assertThat(similar.path("recipeArn").asText()).isEqualTo("arn:aws:personalize:::recipe/aws-sims");
        assertThat(similar.path("campaignName").asText()).isEqualTo("recsys-similar");
        JsonNode ranking = solution(ready, "ranking");
        assertThat(ranking.path("role").asText()).isEqualTo("ranking");
        assertThat(ranking.path("campaignName").asText()).isEqualTo("recsys-ranking");
        assertThat(solution(ready, "a").path("role").asText()).isEqualTo("ab-variant");
        assertThat(personalize.solutions.values()).extracting(FakePersonalize.Res::name, FakePersonalize.Res::extra)
                .contains(tuple("recsys-similar", "arn:aws:personalize:::recipe/aws-sims"),
                        tuple("recsys-ranking", "arn:aws:personalize:::recipe/aws-personalized-ranking-v2"));
    }

    @Test
    void aSolutionFoundWithAnotherRecipeIsAnErrorNotASilentSwitch() {
        readyResources();
        tasks = tasks(new SolutionPlan(A_B, "arn:aws:personalize:::recipe/aws-similar-items", SolutionPlan.DEFAULT_RANKING_RECIPE));
        assertThatThrownBy(() -> run("ensureResources")).isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("solution recsys-similar uses recipe arn:aws:personalize:::recipe/aws-sims")
                .hasMessageContaining("related-items solution similar is configured with arn:aws:personalize:::recipe/aws-similar-items");
    }

    @Test
    void terraformOwnedResourcesAreNeverCreated() {
        TrainingTasks owned = new TrainingTasks(config(true, SolutionPlan.withDefaults(A_B)), personalize, s3, null, Clock.systemUTC());
        assertThatThrownBy(() -> owned.handle(JSON.createObjectNode().put("action", "ensureResources")))
                .isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("dataset group recsys does not exist")
                .hasMessageContaining("Terraform");
        assertThat(personalize.count("createDatasetGroup")).isZero();
    }

    @Test
    void importStartsFromTheManifestOnceEvenWhenRetried() {
        JsonNode res = readyResources();
        putManifest("run-1", "SUCCEEDED");
        JsonNode started = run("startImport", "runId", "run-1", "datasetArn", res.path("datasetArn").asText());
        JsonNode again = run("startImport", "runId", "run-1", "datasetArn", res.path("datasetArn").asText());

        assertThat(again.path("importJobArn")).isEqualTo(started.path("importJobArn"));
        assertThat(personalize.count("createDatasetImportJob")).isEqualTo(1);
        assertThat(personalize.imports.values().iterator().next().extra()).isEqualTo("s3://data/prepared/run-1/interactions/");
        assertThat(started.path("written").asLong()).isEqualTo(1500);
        assertThat(started.path("dropped").asLong()).isEqualTo(7);

        assertThat(run("describeImport", "importJobArn", started.path("importJobArn").asText()).path("status").asText())
                .isEqualTo("PENDING");
        personalize.activateAll();
        assertThat(run("describeImport", "importJobArn", started.path("importJobArn").asText()).path("status").asText())
                .isEqualTo("ACTIVE");
    }

    @Test
    void failedImportThrowsWithPersonalizesReason() {
        JsonNode res = readyResources();
        putManifest("run-2", "SUCCEEDED");
        String job = run("startImport", "runId", "run-2", "datasetArn", res.path("datasetArn").asText()).path("importJobArn").asText();
        personalize.imports.computeIfPresent(job, (k, r) -> r.with("CREATE FAILED", "Input CSV is missing the TIMESTAMP column"));
        assertThatThrownBy(() -> run("describeImport", "importJobArn", job))
                .isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("CREATE FAILED")
                .hasMessageContaining("missing the TIMESTAMP column");
    }

    @Test
    void importWithoutPreparedDataIsATypedError() {
        assertThatThrownBy(() -> run("startImport", "runId", "nope", "datasetArn", "arn:x"))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("no manifest at s3://data/prepared/nope/manifest.json");
        putManifest("small", "INSUFFICIENT_DATA");
        assertThatThrownBy(() -> run("startImport", "runId", "small", "datasetArn", "arn:x"))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("INSUFFICIENT_DATA");
    }

    @Test
    void solutionVersionInProgressIsReusedNotDuplicated() {
        JsonNode res = readyResources();
        String solution = solutionArn(res, "a");
        String v1 = run("createSolutionVersion", "solution", "a", "solutionArn", solution).path("solutionVersionArn").asText();
        String v2 = run("createSolutionVersion", "solution", "a", "solutionArn", solution).path("solutionVersionArn").asText();
        assertThat(v2).isEqualTo(v1);
        assertThat(personalize.count("createSolutionVersion")).isEqualTo(1);
        personalize.activateAll();
        assertThat(run("describeSolutionVersion", "solution", "a", "solutionArn", solution, "solutionVersionArn", v1)
                .path("status").asText()).isEqualTo("ACTIVE");
        String v3 = run("createSolutionVersion", "solution", "a", "solutionArn", solution).path("solutionVersionArn").asText();
        assertThat(v3).isNotEqualTo(v1);
    }

    @Test
    void gateComparesWithTheLiveCampaignAndCampaignsFollowTheDecision() {
        JsonNode res = readyResources();
        String solA = solutionArn(res, "a");
        String solB = solutionArn(res, "b");

        // Run 1: nothing live, both promoted, campaigns created.
        String a1 = trained("a", solA, 0.30, 0.10);
        String b1 = trained("b", solB, 0.20, 0.07);
        JsonNode eval1 = run("evaluate", "candidates", List.of(candidate("a", solA, a1), candidate("b", solB, b1)));
        assertThat(eval1.path("promotedCount").asInt()).isEqualTo(2);
        assertThat(eval1.path("decisions").get(0).path("reason").asText()).contains("no live version");
        JsonNode campA = run("updateCampaign", "solution", "a", "solutionArn", solA, "solutionVersionArn", a1);
        JsonNode campB = run("updateCampaign", "solution", "b", "solutionArn", solB, "solutionVersionArn", b1);
        assertThat(personalize.count("createCampaign")).isEqualTo(2);
        String campaignA = campA.path("campaignArn").asText();
        assertThat(run("describeCampaign", "solution", "a", "campaignArn", campaignA, "solutionVersionArn", a1)
                .path("status").asText()).isEqualTo("PENDING");
        personalize.activateAll();
        assertThat(run("describeCampaign", "solution", "a", "campaignArn", campaignA, "solutionVersionArn", a1)
                .path("status").asText()).isEqualTo("ACTIVE");
        assertThat(campB.path("previousSolutionVersionArn").isNull()).isTrue();

        // Run 2: a is 1% worse (within 2% tolerance) -> promoted; b is much worse -> refused.
        String a2 = trained("a", solA, 0.297, 0.0995);
        String b2 = trained("b", solB, 0.10, 0.07);
        JsonNode eval2 = run("evaluate", "candidates", List.of(candidate("a", solA, a2), candidate("b", solB, b2)));
        assertThat(eval2.path("promotedCount").asInt()).isEqualTo(1);
        assertThat(eval2.path("promoted").get(0).path("solution").asText()).isEqualTo("a");
        JsonNode refused = eval2.path("decisions").get(1);
        assertThat(refused.path("promote").asBoolean()).isFalse();
        assertThat(refused.path("liveSolutionVersionArn").asText()).isEqualTo(b1);
        assertThat(refused.path("reason").asText()).contains("NDCG@10 0.1000 is below the live 0.2000");
        assertThat(eval2.path("summary").asText()).contains("b (ab-variant): candidate NDCG@10=0.1000").contains("REFUSED");

        JsonNode upd = run("updateCampaign", "solution", "a", "solutionArn", solA, "solutionVersionArn", a2);
        run("updateCampaign", "solution", "a", "solutionArn", solA, "solutionVersionArn", a2); // retried task
        assertThat(personalize.count("updateCampaign")).isEqualTo(1);
        assertThat(upd.path("previousSolutionVersionArn").asText()).isEqualTo(a1);
        personalize.activateAll();
        assertThat(personalize.campaigns.get(campaignA)[2]).isEqualTo(a2);
    }

    @Test
    void relatedItemsAndRankingPassTheSameGateAgainstTheirLiveVersionAndThePopularityBaseline() {
        JsonNode res = readyResources();
        String solB = solutionArn(res, "b");
        String solSimilar = solutionArn(res, "similar");
        String solRanking = solutionArn(res, "ranking");

        // Run 1: similar beats popularity (b) and is deployed; ranking is below it on both metrics and is not.
        String b1 = trained("b", solB, 0.20, 0.07);
        String similar1 = trained("similar", solSimilar, 0.25, 0.08);
        String ranking1 = trained("ranking", solRanking, 0.15, 0.05);
        JsonNode eval1 = run("evaluate", "candidates", List.of(candidate("b", solB, b1),
                candidate("similar", solSimilar, similar1), candidate("ranking", solRanking, ranking1)));
        assertThat(eval1.path("promoted")).extracting(p -> p.path("solution").asText()).containsExactly("b", "similar");
        JsonNode ranking = eval1.path("decisions").get(2);
        assertThat(ranking.path("role").asText()).isEqualTo("ranking");
        assertThat(ranking.path("promote").asBoolean()).isFalse();
        assertThat(ranking.path("reason").asText()).isEqualTo("NDCG@10 0.1500 is below the popularity baseline's 0.2000; "
                + "precision@10 0.0500 is below the popularity baseline's 0.0700");
        assertThat(ranking.path("baselineSolutionVersionArn").asText()).isEqualTo(b1);
        assertThat(ranking.path("baseline").path("ndcgAt10").asDouble()).isEqualTo(0.20);
        assertThat(ranking.path("candidate").path("precisionAt10").asDouble()).isEqualTo(0.05);
        assertThat(ranking.path("live").isNull()).isTrue();
        assertThat(eval1.path("summary").asText())
                .contains("similar (related-items): candidate NDCG@10=0.2500 precision@10=0.0800, live none,"
                        + " baseline NDCG@10=0.2000 precision@10=0.0700 -> PROMOTE")
                .contains("ranking (ranking): candidate NDCG@10=0.1500 precision@10=0.0500, live none,"
                        + " baseline NDCG@10=0.2000 precision@10=0.0700 -> REFUSED");
        JsonNode campaign = run("updateCampaign", "solution", "similar", "solutionArn", solSimilar, "solutionVersionArn", similar1);
        assertThat(personalize.campaigns.get(campaign.path("campaignArn").asText())[0]).isEqualTo("recsys-similar");
        personalize.activateAll();

        // Run 2: similar beats popularity but fell 4% below its live version: refused by the live rule.
        String b2 = trained("b", solB, 0.20, 0.07);
        String similar2 = trained("similar", solSimilar, 0.24, 0.08);
        JsonNode eval2 = run("evaluate", "candidates", List.of(candidate("b", solB, b2), candidate("similar", solSimilar, similar2)));
        JsonNode similar = eval2.path("decisions").get(1);
        assertThat(similar.path("promote").asBoolean()).isFalse();
        assertThat(similar.path("liveSolutionVersionArn").asText()).isEqualTo(similar1);
        assertThat(similar.path("reason").asText()).isEqualTo("NDCG@10 0.2400 is below the live 0.2500 minus 2.0% (0.2450)");
    }

    @Test
    void withoutAPopularityVariantABaselineSolutionIsTrainedComparedWithAndNeverDeployed() {
        tasks = tasks(new SolutionPlan(List.of(new SolutionPlan.Variant("a", RECIPE_A)), null, SolutionPlan.DEFAULT_RANKING_RECIPE));
        JsonNode res = readyResources();
        assertThat(res.path("solutions")).extracting(n -> n.path("solution").asText()).containsExactly("a", "ranking", "baseline");
        assertThat(res.path("baseline").asText()).isEqualTo("baseline");
        JsonNode baselineEntry = solution(res, "baseline");
        assertThat(baselineEntry.path("role").asText()).isEqualTo("baseline");
        assertThat(baselineEntry.path("campaignName").isNull()).isTrue();
        assertThat(baselineEntry.path("recipeArn").asText()).isEqualTo("arn:aws:personalize:::recipe/aws-popularity-count");

        String solA = solutionArn(res, "a");
        String solRanking = solutionArn(res, "ranking");
        String solBaseline = solutionArn(res, "baseline");
        String a1 = trained("a", solA, 0.04, 0.02);
        String ranking1 = trained("ranking", solRanking, 0.30, 0.10);
        String baseline1 = trained("baseline", solBaseline, 0.05, 0.02);
        JsonNode eval = run("evaluate", "candidates", List.of(candidate("a", solA, a1),
                candidate("ranking", solRanking, ranking1), candidate("baseline", solBaseline, baseline1)));

        assertThat(eval.path("promoted")).extracting(p -> p.path("solution").asText()).containsExactly("ranking");
        assertThat(eval.path("decisions").get(0).path("reason").asText()).isEqualTo("NDCG@10 0.0400 is below the popularity baseline's 0.0500");
        JsonNode baseline = eval.path("decisions").get(2);
        assertThat(baseline.path("promote").asBoolean()).isFalse();
        assertThat(baseline.path("reason").asText()).contains("never deployed");
        assertThat(eval.path("summary").asText()).contains("baseline (baseline): NDCG@10=0.0500 precision@10=0.0200, compared with, never deployed");

        assertThatThrownBy(() -> run("updateCampaign", "solution", "baseline", "solutionArn", solBaseline, "solutionVersionArn", baseline1))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("popularity baseline and has no campaign");
        assertThat(personalize.count("createCampaign")).isZero();
        assertThatThrownBy(() -> run("evaluate", "candidates", List.of(candidate("a", solA, a1))))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("lack the popularity baseline 'baseline'");
    }

    @Test
    void failedCampaignUpdateSaysTheOldVersionKeepsServing() {
        JsonNode res = readyResources();
        String solA = solutionArn(res, "a");
        String a1 = trained("a", solA, 0.3, 0.1);
        String campaign = run("updateCampaign", "solution", "a", "solutionArn", solA, "solutionVersionArn", a1).path("campaignArn").asText();
        personalize.activateAll();
        String a2 = trained("a", solA, 0.31, 0.1);
        run("updateCampaign", "solution", "a", "solutionArn", solA, "solutionVersionArn", a2);
        String[] c = personalize.campaigns.get(campaign);
        c[5] = "CREATE FAILED";
        c[6] = "capacity";
        assertThatThrownBy(() -> run("describeCampaign", "solution", "a", "campaignArn", campaign, "solutionVersionArn", a2))
                .isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("still serving " + a1)
                .hasMessageContaining("capacity");
    }

    @Test
    void fallbackIsPublishedInTheApisFormatWithASummaryWithNumbers() throws Exception {
        JsonNode res = readyResources();
        String solA = solutionArn(res, "a");
        String a1 = trained("a", solA, 0.3, 0.1);
        String campaignA = run("updateCampaign", "solution", "a", "solutionArn", solA, "solutionVersionArn", a1)
                .path("campaignArn").asText();
        putManifest("run-9", "SUCCEEDED");
        ObjectNode evaluation = JSON.createObjectNode().put("summary", "a (ab-variant): ... -> PROMOTE");
        JsonNode out = run("publishFallback", "runId", "run-9", "solutions", res.path("solutions"), "evaluation", evaluation,
                "campaigns", List.of(Map.of("solution", "a", "solutionVersionArn", "arn:sv/1")),
                "experiment", Map.of("summary", "Experiment recs-ab-1 on /users/{userId}/recommendations, ...: report: a wins; split unchanged."));

        JsonNode doc = JSON.readTree(s3.objects.get("data/config/popular-items.json"));
        assertThat(s3.contentTypes.get("data/config/popular-items.json")).isEqualTo("application/json");
        assertThat(doc.path("generated_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(doc.path("model_version").asText()).isEqualTo("run-9");
        assertThat(doc.path("items")).hasSize(3); // POPULAR_ITEMS = 3 of the manifest's 4
        assertThat(doc.path("items").get(0).path("item_id").asText()).isEqualTo("item-1");
        assertThat(doc.path("items").get(0).path("score").asDouble()).isEqualTo(40.0);
        assertThat(doc.fieldNames()).toIterable().containsExactly("generated_at", "model_version", "items");

        assertThat(out.path("summary").asText())
                .contains("read 1520 events, 13 duplicates, 7 dropped, imported 1500 interactions from 60 users on 40 items")
                .contains("a -> arn:sv/1")
                .contains("Serving: a.")
                .contains("3 popular items")
                .endsWith("published to s3://data/config/popular-items.json. Experiment recs-ab-1 on /users/{userId}/recommendations, ...: "
                        + "report: a wins; split unchanged.");
        // Only existing campaigns are listed: where a caller finds the ARNs after a run.
        assertThat(out.path("campaigns")).isEqualTo(JSON.createObjectNode().put("a", campaignA));
    }

    // --- wait loops: every status check counts, against the limit of its loop ---

    @Test
    void everyStatusCheckCountsAndAnswersTheLimitOfItsLoop() {
        TrainingConfig limited = new TrainingConfig("us-east-1", BUCKET, "recsys", SolutionPlan.withDefaults(A_B),
                "arn:aws:iam::000000000000:role/import", 0.02, false, true, 3, 1, null, null, null, null, null, null,
                new StatusChecks(2, 3, 4, 5), FilterPlan.NONE);
        tasks = new TrainingTasks(limited, personalize, s3, null, Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));

        // The first check has no count yet (absent or null); each answers one more and its loop's limit.
        JsonNode first = run("ensureResources");
        assertThat(first.path("checks").asInt()).isEqualTo(1);
        assertThat(first.path("maxChecks").asInt()).isEqualTo(2);
        assertThat(first.path("waitingFor").asText()).isEqualTo("dataset group recsys is CREATE PENDING");
        assertThat(tasks.handle(JSON.createObjectNode().put("action", "ensureResources").putNull("checks")).path("checks").asInt()).isEqualTo(1);
        assertThat(run("ensureResources", "checks", 1).path("checks").asInt()).isEqualTo(2);
        personalize.activateAll();
        run("ensureResources");
        personalize.activateAll();
        JsonNode ready = run("ensureResources", "checks", 7);
        assertThat(ready.path("ready").asBoolean()).isTrue();
        assertThat(ready.path("waitingFor").asText()).isEqualTo("nothing");

        putManifest("run-1", "SUCCEEDED");
        String job = run("startImport", "runId", "run-1", "datasetArn", ready.path("datasetArn").asText()).path("importJobArn").asText();
        JsonNode imp = run("describeImport", "importJobArn", job, "checks", 2);
        assertThat(imp.path("checks").asInt()).isEqualTo(3);
        assertThat(imp.path("maxChecks").asInt()).isEqualTo(3);
        assertThat(imp.path("status").asText()).isEqualTo("PENDING");
        assertThat(imp.path("personalizeStatus").asText()).isEqualTo("CREATE PENDING");
        assertThat(imp.path("importJobArn").asText()).isEqualTo(job);

        String solA = solutionArn(ready, "a");
        JsonNode created = run("createSolutionVersion", "solution", "a", "solutionArn", solA);
        assertThat(created.path("checks").asInt()).isZero();
        JsonNode training = run("describeSolutionVersion", "solution", "a", "solutionArn", solA,
                "solutionVersionArn", created.path("solutionVersionArn").asText(), "checks", created.path("checks").asInt());
        assertThat(training.path("checks").asInt()).isEqualTo(1);
        assertThat(training.path("maxChecks").asInt()).isEqualTo(4);
        assertThat(training.path("personalizeStatus").asText()).isEqualTo("CREATE PENDING");
        personalize.activateAll();

        JsonNode update = run("updateCampaign", "solution", "a", "solutionArn", solA,
                "solutionVersionArn", created.path("solutionVersionArn").asText());
        assertThat(update.path("checks").asInt()).isZero();
        JsonNode campaign = run("describeCampaign", "solution", "a", "campaignArn", update.path("campaignArn").asText(),
                "solutionVersionArn", created.path("solutionVersionArn").asText(), "checks", 4);
        assertThat(campaign.path("checks").asInt()).isEqualTo(5);
        assertThat(campaign.path("maxChecks").asInt()).isEqualTo(5);
        assertThat(campaign.path("personalizeStatus").asText()).isEqualTo("CREATE PENDING");

        assertThatThrownBy(() -> run("describeImport", "importJobArn", job, "checks", "two"))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("'checks' must be a whole number");
        assertThatThrownBy(() -> run("describeImport", "importJobArn", job, "checks", -1))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("'checks'");
    }

    @Test
    void theDefaultLimitsApplyWithoutConfiguration() {
        JsonNode first = run("ensureResources");
        assertThat(first.path("maxChecks").asInt()).isEqualTo(StatusChecks.DEFAULTS.resources()).isEqualTo(60);
    }

    // --- the dataset group's encryption ---

    private static final String KEY = "arn:aws:kms:us-east-1:000000000000:key/11111111-1111-1111-1111-111111111111";
    private static final String KEY_ROLE = "arn:aws:iam::000000000000:role/recsys-dataset-group-key";

    private TrainingTasks encrypted(String key, String role) {
        TrainingConfig c = new TrainingConfig("us-east-1", BUCKET, "recsys", SolutionPlan.withDefaults(A_B),
                "arn:aws:iam::000000000000:role/import", 0.02, false, true, 3, 1, null, null, null, null, key, role, StatusChecks.DEFAULTS,
                FilterPlan.NONE);
        return new TrainingTasks(c, personalize, s3, null, Clock.systemUTC());
    }

    @Test
    void theDatasetGroupIsCreatedWithTheStacksKeyAndTheRolePersonalizeUsesItWith() {
        tasks = encrypted(KEY, KEY_ROLE);
        run("ensureResources");
        assertThat(personalize.groupRequests.values()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("recsys");
            assertThat(r.kmsKeyArn()).isEqualTo(KEY);
            assertThat(r.roleArn()).isEqualTo(KEY_ROLE);
        });
        personalize.activateAll();
        // Found again by name with the same key: nothing else to do.
        assertThat(run("ensureResources").path("datasetGroupArn").asText()).isEqualTo(personalize.groups.keySet().iterator().next());
        assertThat(personalize.count("createDatasetGroup")).isEqualTo(1);
    }

    @Test
    void withoutAKeyTheDatasetGroupIsCreatedWithoutOne() {
        run("ensureResources");
        assertThat(personalize.groupRequests.values()).singleElement().satisfies(r -> {
            assertThat(r.kmsKeyArn()).isNull();
            assertThat(r.roleArn()).isNull();
        });
    }

    @Test
    void aDatasetGroupFoundWithoutTheConfiguredKeyIsAnErrorNotSilentlyKept() {
        run("ensureResources"); // created before encryption was configured
        tasks = encrypted(KEY, KEY_ROLE);
        assertThatThrownBy(() -> run("ensureResources")).isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("dataset group recsys is not encrypted with a KMS key of its own")
                .hasMessageContaining("configured with " + KEY)
                .hasMessageContaining("delete the dataset group");
        assertThat(personalize.count("createDatasetGroup")).isEqualTo(1);

        String other = "arn:aws:kms:us-east-1:000000000000:key/22222222-2222-2222-2222-222222222222";
        tasks = encrypted(other, KEY_ROLE);
        personalize.groups.clear();
        personalize.groupRequests.clear();
        run("ensureResources");
        tasks = encrypted(KEY, KEY_ROLE);
        assertThatThrownBy(() -> run("ensureResources")).isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("is encrypted with KMS key " + other);
    }

    @Test
    void throttlingBecomesTheRetryableErrorType() {
        personalize.nextFailure = FakePersonalize.throttling();
        assertThatThrownBy(() -> run("ensureResources"))
                .isInstanceOf(TransientAwsException.class).hasMessageContaining("ensureResources");
    }

    @Test
    void badInputIsATypedError() {
        assertThatThrownBy(() -> tasks.handle(JSON.createArrayNode())).isInstanceOf(InvalidTaskInputException.class);
        assertThatThrownBy(() -> run("dance")).isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("unknown action 'dance'");
        assertThatThrownBy(() -> run("describeImport")).isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("importJobArn");
        assertThatThrownBy(() -> run("createSolutionVersion", "solution", "zzz", "solutionArn", "arn:s"))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("unknown solution 'zzz'");
        putManifest("run-1", "SUCCEEDED");
        assertThatThrownBy(() -> run("publishFallback", "runId", "run-1")).isInstanceOf(InvalidTaskInputException.class)
                .hasMessageContaining("'solutions'");
        assertThat(s3.objects).doesNotContainKey("data/config/popular-items.json");
        assertThatThrownBy(() -> run("evaluate", "candidates", "x")).isInstanceOf(InvalidTaskInputException.class);
    }

    // --- fixtures ---

    private String trained(String solution, String solutionArn, double ndcg, double precision) {
        String v = run("createSolutionVersion", "solution", solution, "solutionArn", solutionArn).path("solutionVersionArn").asText();
        personalize.metrics.put(v, Map.of(QualityGate.NDCG_AT_10, ndcg, QualityGate.PRECISION_AT_10, precision));
        personalize.activateAll();
        return v;
    }

    private static Map<String, String> candidate(String solution, String solutionArn, String versionArn) {
        return Map.of("solution", solution, "solutionArn", solutionArn, "solutionVersionArn", versionArn);
    }

    private void putManifest(String runId, String status) {
        s3.objects.put(BUCKET + "/" + S3Layout.preparedManifestKey(runId), Manifests.of(runId, status, 1520, 13,
                Map.of("malformed_json", 4L, "outside_window", 3L), 1500, 60, 40,
                List.of(new PopularItem("item-1", 40), new PopularItem("item-2", 30), new PopularItem("item-3", 20),
                        new PopularItem("item-4", 10))));
    }
}
