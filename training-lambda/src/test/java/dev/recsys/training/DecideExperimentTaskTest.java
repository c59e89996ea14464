package dev.recsys.training;

import static dev.recsys.training.ExperimentDecisionTest.ctr;
import static dev.recsys.training.ExperimentDecisionTest.look;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.ExperimentSplit;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.common.keys.S3Layout;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** The {@code decideExperiment} action through {@link TrainingTasks}: fake Personalize, S3 and results table. */
class DecideExperimentTaskTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "data";
    private static final String TABLE = "experiments";
    private static final String SPLIT_KEY = BUCKET + "/" + S3Layout.EXPERIMENT_CONFIG_KEY;
    private static final String CAMPAIGN = "arn:aws:personalize:us-east-1:000000000000:campaign/recsys-";
    private static final List<SolutionPlan.Variant> A_B = List.of(
            new SolutionPlan.Variant("a", "arn:aws:personalize:::recipe/aws-user-personalization-v2"),
            new SolutionPlan.Variant("b", "arn:aws:personalize:::recipe/aws-popularity-count"));

    private final FakePersonalize personalize = new FakePersonalize();
    private final FakeS3 s3 = new FakeS3();
    private final FakeDynamo dynamo = new FakeDynamo();
    private TrainingTasks tasks = tasks(ExperimentDecision.Policy.PROMOTE);

    private TrainingTasks tasks(ExperimentDecision.Policy policy) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put("a", 50);
        weights.put("b", 50);
        return tasks(new ExperimentConfig(TABLE, "recs-ab-1", policy, Exposure.USER_RECOMMENDATIONS, 25, weights));
    }

    private TrainingTasks tasks(ExperimentConfig experiment) {
        TrainingConfig config = new TrainingConfig("us-east-1", BUCKET, "recsys", SolutionPlan.withDefaults(A_B),
                "arn:aws:iam::000000000000:role/import", 0.02, false, true, 3, 1, null, null, null, experiment);
        return new TrainingTasks(config, personalize, s3, experiment == null ? null : dynamo,
                Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC));
    }

    private JsonNode decide() {
        return tasks.handle(JSON.createObjectNode().put("action", "decideExperiment"));
    }

    private void seed(String phase, double ctrA, double ctrB) {
        for (ArmResult r : look(phase, Map.of("a", ctr(ctrA), "b", ctr(ctrB)))) dynamo.put(TABLE, r);
    }

    private ExperimentSplit published() throws Exception {
        return ExperimentSplit.parse(s3.objects.get(SPLIT_KEY));
    }

    @Test
    void withoutAnExperimentTheStepSaysSoAndDoesNothing() {
        tasks = tasks((ExperimentConfig) null);
        JsonNode out = decide();
        assertThat(out.path("configured").asBoolean()).isFalse();
        assertThat(out.path("summary").asText()).isEqualTo("Experiments not configured (no EXPERIMENTS_TABLE): nothing decided.");
        assertThat(s3.puts).isEmpty();
        assertThat(dynamo.queries).isEmpty();
    }

    @Test
    void promotePublishesTheShiftedSplitWithTheManagedCampaignsOnceEvenWhenRetried() throws Exception {
        campaigns();
        seed("recs-ab-1", 0.05, 0.06);
        // Another route's rows are not read.
        for (ArmResult r : look("recs-ab-1", Map.of("a", ctr(0.07), "b", ctr(0.05)))) {
            dynamo.put(TABLE, new ArmResult(r.experiment(), Exposure.RECOMMEND, r.variant(), r.control(), r.totals(), r.ctr(),
                    r.conversionRate(), r.ctrVerdict(), r.conversionVerdict(), r.computedAt(), r.looks()));
        }

        JsonNode out = decide();
        assertThat(out.path("winner").asText()).isEqualTo("b");
        assertThat(out.path("changed").asBoolean()).isTrue();
        assertThat(out.path("experiment").asText()).isEqualTo("recs-ab-1");
        assertThat(out.path("phase").asText()).isEqualTo("recs-ab-1-p2");
        assertThat(out.path("policy").asText()).isEqualTo("promote");
        assertThat(out.path("weights")).isEqualTo(JSON.createObjectNode().put("a", 25).put("b", 75));
        assertThat(out.path("summary").asText()).contains("b: 5000 users, 25000 exposures, 1500 clicks, CTR 6.00% [")
                .endsWith("promote: a 50\u219225, b 50\u219275, new phase recs-ab-1-p2.");

        ExperimentSplit split = published();
        assertThat(split.salt()).isEqualTo("recs-ab-1");
        assertThat(split.experiment()).isEqualTo("recs-ab-1-p2");
        assertThat(split.variants()).containsExactly(new ExperimentSplit.Arm("a", CAMPAIGN + "a", 25),
                new ExperimentSplit.Arm("b", CAMPAIGN + "b", 75));
        assertThat(split.decidedAt()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(split.reason()).startsWith("b wins on CTR in recs-ab-1 at look 1").contains("lift +20.0%");
        assertThat(s3.contentTypes.get(SPLIT_KEY)).isEqualTo("application/json");
        // One strongly consistent Query per page, on the phase and the route's sort-key prefix.
        assertThat(dynamo.queries).hasSize(3).allSatisfy(q -> {
            assertThat(q.consistentRead()).isTrue();
            assertThat(q.tableName()).isEqualTo(TABLE);
            assertThat(q.expressionAttributeValues().get(":route").s()).isEqualTo(ExperimentKeys.resultArm(Exposure.USER_RECOMMENDATIONS, ""));
        });

        // The retried task (or the next run on the same results) decides on the new phase: no second shift.
        JsonNode retry = decide();
        assertThat(retry.path("changed").asBoolean()).isFalse();
        assertThat(retry.path("experiment").asText()).isEqualTo("recs-ab-1-p2");
        assertThat(retry.path("summary").asText()).contains("split a 25 / b 75 published 2026-03-01T12:00:00Z",
                "no results yet for this phase (this split was published because b wins on CTR in recs-ab-1").endsWith("Split unchanged.");
        assertThat(s3.puts).containsExactly(S3Layout.EXPERIMENT_CONFIG_KEY);

        // The new phase's own results move the rest; its campaigns come from the published split.
        personalize.campaigns.clear();
        seed("recs-ab-1-p2", 0.05, 0.06);
        assertThat(decide().path("phase").asText()).isEqualTo("recs-ab-1-p3");
        assertThat(published().variants()).extracting(ExperimentSplit.Arm::weight).containsExactly(0, 100);
        assertThat(published().variants()).extracting(ExperimentSplit.Arm::campaignArn).containsExactly(CAMPAIGN + "a", CAMPAIGN + "b");
    }

    @Test
    void reportTellsTheWinnerAndWritesNothing() {
        tasks = tasks(ExperimentDecision.Policy.REPORT);
        seed("recs-ab-1", 0.05, 0.06);
        JsonNode out = decide();
        assertThat(out.path("winner").asText()).isEqualTo("b");
        assertThat(out.path("changed").asBoolean()).isFalse();
        assertThat(out.path("phase").asText()).isEqualTo("recs-ab-1");
        assertThat(out.path("summary").asText()).endsWith("report: b wins; split unchanged.");
        assertThat(s3.puts).isEmpty();
    }

    @Test
    void unreadableRowsAreNamedAndNothingIsWritten() {
        campaigns();
        seed("recs-ab-1", 0.05, 0.06);
        String route = Exposure.USER_RECOMMENDATIONS;
        dynamo.putRaw(TABLE, "recs-ab-1", ExperimentKeys.resultArm(route, "c"), Map.of(ExperimentKeys.RESULT, AttributeValue.fromS("{not json")));
        dynamo.putRaw(TABLE, "recs-ab-1", ExperimentKeys.resultArm(route, "d"), Map.of());
        JsonNode out = decide();
        assertThat(out.path("changed").asBoolean()).isFalse();
        assertThat(out.path("winner").isNull()).isTrue();
        assertThat(out.path("summary").asText()).contains("no decision, the results are incomplete: row " + route + "|c is not a result (",
                "row " + route + "|d has no result").endsWith("Split unchanged.");
        assertThat(s3.puts).isEmpty();
    }

    @Test
    void aRowFiledUnderAnotherArmIsNotTrusted() {
        List<ArmResult> rows = look("recs-ab-1", Map.of("a", ctr(0.05), "b", ctr(0.06)));
        ArmResult b = rows.stream().filter(r -> r.variant().equals("b")).findFirst().orElseThrow();
        dynamo.put(TABLE, rows.stream().filter(ArmResult::control).findFirst().orElseThrow());
        dynamo.putRaw(TABLE, "recs-ab-1", ExperimentKeys.resultArm(Exposure.USER_RECOMMENDATIONS, "a-copy"),
                Map.of(ExperimentKeys.RESULT, AttributeValue.fromS(json(b))));
        assertThat(decide().path("summary").asText()).contains("row /users/{userId}/recommendations|a-copy of recs-ab-1 holds the result of "
                + "recs-ab-1 /users/{userId}/recommendations b");
        assertThat(s3.puts).isEmpty();
    }

    @Test
    void aVariantWithoutItsCampaignIsATypedErrorAndNothingIsWritten() {
        seed("recs-ab-1", 0.05, 0.06);
        assertThatThrownBy(this::decide).isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("variant a has no campaign recsys-a");
        assertThat(s3.puts).isEmpty();
    }

    @Test
    void aBrokenPublishedSplitIsATypedErrorAndIsLeftAlone() {
        s3.objects.put(SPLIT_KEY, "{\"salt\":\"recs-ab-1\",\"experiment\":\"recs-ab-1-p2\",\"variants\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(this::decide).isInstanceOf(ExperimentDataException.class)
                .hasMessageContaining("s3://data/config/experiment.json is not a valid split");
        assertThat(s3.puts).isEmpty();
    }

    @Test
    void aPublishedSplitOfAnotherExperimentIsDecidedOnAndFlagged() {
        s3.objects.put(SPLIT_KEY, new ExperimentSplit("recs-ab-0", "recs-ab-0-p2", List.of(new ExperimentSplit.Arm("a", CAMPAIGN + "a", 60),
                new ExperimentSplit.Arm("b", CAMPAIGN + "b", 40)), "2026-02-01T00:00:00Z", "earlier").toJson());
        JsonNode out = decide();
        assertThat(out.path("experiment").asText()).isEqualTo("recs-ab-0-p2");
        assertThat(out.path("summary").asText()).startsWith("Note: the published split's salt recs-ab-0 is not EXPERIMENT_ID recs-ab-1; "
                + "the API serves the published one. Experiment recs-ab-0-p2 (salt recs-ab-0)");
    }

    @Test
    void throttledReadsAreRetryable() {
        dynamo.nextFailure = DynamoDbException.builder().statusCode(400).message("slow down").awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("ProvisionedThroughputExceededException").errorMessage("slow down").build()).build();
        assertThatThrownBy(this::decide).isInstanceOf(TransientAwsException.class).hasMessageContaining("decideExperiment");
    }

    @Test
    void theRunSummaryCarriesTheDecision() {
        campaigns();
        s3.objects.put(BUCKET + "/" + S3Layout.preparedManifestKey("run-1"),
                Manifests.of("run-1", "SUCCEEDED", 1, 0, Map.of(), 1, 1, 1, List.of()));
        ObjectNode in = JSON.createObjectNode().put("action", "publishFallback").put("runId", "run-1");
        in.putArray("solutions");
        in.set("experiment", decide());
        assertThat(tasks.handle(in).path("summary").asText()).endsWith("Experiment recs-ab-1 on /users/{userId}/recommendations, "
                + "split a 50 / b 50 as deployed: no results yet for this phase. Split unchanged.");
    }

    /** Campaigns recsys-a and recsys-b, as the pipeline's first successful run leaves them. */
    private void campaigns() {
        tasks.handle(JSON.createObjectNode().put("action", "ensureResources"));
        personalize.activateAll();
        tasks.handle(JSON.createObjectNode().put("action", "ensureResources"));
        personalize.activateAll();
        JsonNode res = tasks.handle(JSON.createObjectNode().put("action", "ensureResources"));
        for (JsonNode s : res.path("solutions")) {
            String name = s.path("solution").asText();
            if (!name.equals("a") && !name.equals("b")) continue;
            String version = tasks.handle(JSON.createObjectNode().put("action", "createSolutionVersion").put("solution", name)
                    .put("solutionArn", s.path("solutionArn").asText())).path("solutionVersionArn").asText();
            personalize.activateAll();
            tasks.handle(JSON.createObjectNode().put("action", "updateCampaign").put("solution", name)
                    .put("solutionArn", s.path("solutionArn").asText()).put("solutionVersionArn", version));
        }
        personalize.activateAll();
    }

    private static String json(ArmResult r) {
        try {
            return JSON.writeValueAsString(r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
