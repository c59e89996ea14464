package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
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

    private final FakePersonalize personalize = new FakePersonalize();
    private final FakeS3 s3 = new FakeS3();
    private final TrainingConfig config = config(false);
    private final TrainingTasks tasks = new TrainingTasks(config, personalize, s3,
            Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));

    private static TrainingConfig config(boolean terraformOwned) {
        return new TrainingConfig("us-east-1", BUCKET, "recsys",
                List.of(new TrainingConfig.Variant("a", RECIPE_A), new TrainingConfig.Variant("b", RECIPE_B)),
                "arn:aws:iam::000000000000:role/import", 0.02, terraformOwned, true, 3, 1, null, null);
    }

    private JsonNode run(String action, Object... fields) {
        ObjectNode in = JSON.createObjectNode().put("action", action);
        for (int i = 0; i < fields.length; i += 2) in.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        return tasks.handle(in);
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
        assertThat(personalize.count("createDataset")).isEqualTo(1);
        assertThat(personalize.count("createEventTracker")).isEqualTo(1);
        assertThat(personalize.count("createSolution")).isEqualTo(2);
        assertThat(personalize.schemas.values().iterator().next().extra())
                .contains("\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]").contains("\"TIMESTAMP\",\"type\":\"long\"");

        personalize.activateAll();
        JsonNode ready = run("ensureResources");
        assertThat(ready.path("ready").asBoolean()).isTrue();
        assertThat(ready.path("trackingId").asText()).isEqualTo("tracking-recsys-events");
        assertThat(ready.path("variants")).hasSize(2);
        assertThat(ready.path("variants").get(1).path("campaignName").asText()).isEqualTo("recsys-b");
        assertThat(personalize.count("createSchema")).isEqualTo(1);
        assertThat(personalize.count("createSolution")).isEqualTo(2);
    }

    @Test
    void terraformOwnedResourcesAreNeverCreated() {
        TrainingTasks owned = new TrainingTasks(config(true), personalize, s3, Clock.systemUTC());
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
        String solution = res.path("variants").get(0).path("solutionArn").asText();
        String v1 = run("createSolutionVersion", "variant", "a", "solutionArn", solution).path("solutionVersionArn").asText();
        String v2 = run("createSolutionVersion", "variant", "a", "solutionArn", solution).path("solutionVersionArn").asText();
        assertThat(v2).isEqualTo(v1);
        assertThat(personalize.count("createSolutionVersion")).isEqualTo(1);
        personalize.activateAll();
        assertThat(run("describeSolutionVersion", "variant", "a", "solutionArn", solution, "solutionVersionArn", v1)
                .path("status").asText()).isEqualTo("ACTIVE");
        String v3 = run("createSolutionVersion", "variant", "a", "solutionArn", solution).path("solutionVersionArn").asText();
        assertThat(v3).isNotEqualTo(v1);
    }

    @Test
    void gateComparesWithTheLiveCampaignAndCampaignsFollowTheDecision() {
        JsonNode res = readyResources();
        String solA = res.path("variants").get(0).path("solutionArn").asText();
        String solB = res.path("variants").get(1).path("solutionArn").asText();

        // Run 1: nothing live, both promoted, campaigns created.
        String a1 = trained("a", solA, 0.30, 0.10);
        String b1 = trained("b", solB, 0.20, 0.07);
        JsonNode eval1 = run("evaluate", "candidates", List.of(candidate("a", solA, a1), candidate("b", solB, b1)));
        assertThat(eval1.path("promotedCount").asInt()).isEqualTo(2);
        assertThat(eval1.path("decisions").get(0).path("reason").asText()).contains("no live version");
        JsonNode campA = run("updateCampaign", "variant", "a", "solutionArn", solA, "solutionVersionArn", a1);
        JsonNode campB = run("updateCampaign", "variant", "b", "solutionArn", solB, "solutionVersionArn", b1);
        assertThat(personalize.count("createCampaign")).isEqualTo(2);
        String campaignA = campA.path("campaignArn").asText();
        assertThat(run("describeCampaign", "variant", "a", "campaignArn", campaignA, "solutionVersionArn", a1)
                .path("status").asText()).isEqualTo("PENDING");
        personalize.activateAll();
        assertThat(run("describeCampaign", "variant", "a", "campaignArn", campaignA, "solutionVersionArn", a1)
                .path("status").asText()).isEqualTo("ACTIVE");
        assertThat(campB.path("previousSolutionVersionArn").isNull()).isTrue();

        // Run 2: a is 1% worse (within 2% tolerance) -> promoted; b is much worse -> refused.
        String a2 = trained("a", solA, 0.297, 0.0995);
        String b2 = trained("b", solB, 0.10, 0.07);
        JsonNode eval2 = run("evaluate", "candidates", List.of(candidate("a", solA, a2), candidate("b", solB, b2)));
        assertThat(eval2.path("promotedCount").asInt()).isEqualTo(1);
        assertThat(eval2.path("promoted").get(0).path("variant").asText()).isEqualTo("a");
        JsonNode refused = eval2.path("decisions").get(1);
        assertThat(refused.path("promote").asBoolean()).isFalse();
        assertThat(refused.path("liveSolutionVersionArn").asText()).isEqualTo(b1);
        assertThat(refused.path("reason").asText()).contains("NDCG@10 0.1000 is below the live 0.2000");
        assertThat(eval2.path("summary").asText()).contains("variant b").contains("REFUSED");

        JsonNode upd = run("updateCampaign", "variant", "a", "solutionArn", solA, "solutionVersionArn", a2);
        run("updateCampaign", "variant", "a", "solutionArn", solA, "solutionVersionArn", a2); // retried task
        assertThat(personalize.count("updateCampaign")).isEqualTo(1);
        assertThat(upd.path("previousSolutionVersionArn").asText()).isEqualTo(a1);
        personalize.activateAll();
        assertThat(personalize.campaigns.get(campaignA)[2]).isEqualTo(a2);
    }

    @Test
    void failedCampaignUpdateSaysTheOldVersionKeepsServing() {
        JsonNode res = readyResources();
        String solA = res.path("variants").get(0).path("solutionArn").asText();
        String a1 = trained("a", solA, 0.3, 0.1);
        String campaign = run("updateCampaign", "variant", "a", "solutionArn", solA, "solutionVersionArn", a1).path("campaignArn").asText();
        personalize.activateAll();
        String a2 = trained("a", solA, 0.31, 0.1);
        run("updateCampaign", "variant", "a", "solutionArn", solA, "solutionVersionArn", a2);
        String[] c = personalize.campaigns.get(campaign);
        c[5] = "CREATE FAILED";
        c[6] = "capacity";
        assertThatThrownBy(() -> run("describeCampaign", "variant", "a", "campaignArn", campaign, "solutionVersionArn", a2))
                .isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("still serving " + a1)
                .hasMessageContaining("capacity");
    }

    @Test
    void fallbackIsPublishedInTheApisFormatWithASummaryWithNumbers() throws Exception {
        putManifest("run-9", "SUCCEEDED");
        ObjectNode evaluation = JSON.createObjectNode().put("summary", "variant a: ... -> PROMOTE");
        JsonNode out = run("publishFallback", "runId", "run-9", "evaluation", evaluation,
                "campaigns", List.of(Map.of("variant", "a", "solutionVersionArn", "arn:sv/1")));

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
                .contains("3 popular items");
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
        assertThatThrownBy(() -> run("createSolutionVersion", "variant", "zzz", "solutionArn", "arn:s"))
                .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("unknown variant 'zzz'");
        assertThatThrownBy(() -> run("evaluate", "candidates", "x")).isInstanceOf(InvalidTaskInputException.class);
    }

    // --- fixtures ---

    private String trained(String variant, String solutionArn, double ndcg, double precision) {
        String v = run("createSolutionVersion", "variant", variant, "solutionArn", solutionArn).path("solutionVersionArn").asText();
        personalize.metrics.put(v, Map.of(QualityGate.NDCG_AT_10, ndcg, QualityGate.PRECISION_AT_10, precision));
        personalize.activateAll();
        return v;
    }

    private static Map<String, String> candidate(String variant, String solutionArn, String versionArn) {
        return Map.of("variant", variant, "solutionArn", solutionArn, "solutionVersionArn", versionArn);
    }

    private void putManifest(String runId, String status) {
        String json = "{\"run_id\":\"" + runId + "\",\"status\":\"" + status + "\","
                + (status.equals("SUCCEEDED") ? "\"csv_prefix\":\"prepared/" + runId + "/interactions/\"," : "")
                + "\"counts\":{\"read\":1520,\"duplicates\":13,\"dropped\":{\"malformed_json\":4,\"outside_window\":3},"
                + "\"written\":1500,\"users\":60,\"items\":40,\"event_types\":4},"
                + "\"popular_items\":[{\"item_id\":\"item-1\",\"score\":40},{\"item_id\":\"item-2\",\"score\":30},"
                + "{\"item_id\":\"item-3\",\"score\":20},{\"item_id\":\"item-4\",\"score\":10}]}";
        s3.objects.put(BUCKET + "/" + RunManifest.key(runId), json.getBytes(StandardCharsets.UTF_8));
    }
}
