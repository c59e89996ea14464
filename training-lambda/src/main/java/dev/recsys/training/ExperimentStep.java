package dev.recsys.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.ExperimentSplit;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.common.keys.S3Layout;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The {@code decideExperiment} task: reads the split being served ({@link S3Layout#EXPERIMENT_CONFIG_KEY}, else
 * the deployed one) and its phase's results from the {@code experiments} table, lets {@link ExperimentDecision}
 * decide, and publishes the new split when there is one. Campaign ARNs come from the published split, or, for
 * the deployed split, from the campaigns {@code <prefix>-<variant>} the pipeline manages.
 */
final class ExperimentStep {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingConfig training;
    private final ExperimentConfig config;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final String bucket;
    private final PersonalizeResources resources;
    private final Clock clock;
    private final ExperimentDecision decision;

    /** @param training its {@link TrainingConfig#experiment()} is set */
    ExperimentStep(TrainingConfig training, DynamoDbClient dynamo, S3Client s3, PersonalizeResources resources, Clock clock) {
        this.training = training;
        this.config = Objects.requireNonNull(training.experiment(), "experiment");
        this.dynamo = Objects.requireNonNull(dynamo, "a DynamoDB client is needed when experiments are configured");
        this.s3 = s3;
        this.bucket = training.bucket();
        this.resources = resources;
        this.clock = clock;
        this.decision = new ExperimentDecision(config.policy(), config.promoteStep());
    }

    static JsonNode notConfigured() {
        return JSON.createObjectNode().put("configured", false)
                .put("summary", "Experiments not configured (no EXPERIMENTS_TABLE): nothing decided.");
    }

    JsonNode decide() {
        Optional<ExperimentSplit> published = published();
        ExperimentDecision.Split current = published.map(ExperimentDecision.Split::of).orElseGet(config::deployedSplit);
        ExperimentDecision.Decision d = decision.decide(current, config.route(), results(current.phase(), config.route()));
        ExperimentDecision.Split after = d.after();
        if (d.changed()) {
            List<ExperimentSplit.Arm> arms = new ArrayList<>();
            after.weights().forEach((variant, weight) -> arms.add(new ExperimentSplit.Arm(variant, campaignArn(variant, published), weight)));
            publish(new ExperimentSplit(after.salt(), after.phase(), arms, clock.instant().toString(), after.reason()));
        }
        String summary = d.summary();
        if (published.isPresent() && !published.get().salt().equals(config.experimentId())) {
            // The API serves a published split whatever it was deployed with: say so rather than decide on the wrong phase.
            summary = "Note: the published split's salt " + published.get().salt() + " is not EXPERIMENT_ID " + config.experimentId()
                    + "; the API serves the published one. " + summary;
        }
        ObjectNode out = JSON.createObjectNode().put("configured", true).put("experiment", current.phase())
                .put("route", config.route()).put("policy", config.policy().label()).put("winner", d.winner())
                .put("changed", d.changed()).put("phase", after.phase());
        ObjectNode weights = out.putObject("weights");
        after.weights().forEach(weights::put);
        return out.put("summary", summary);
    }

    private Optional<ExperimentSplit> published() {
        byte[] doc;
        // Listed first: without an unconditional s3:ListBucket, GetObject of a missing key is 403, not 404. The role
        // may list the config/ prefix.
        String key = S3Layout.EXPERIMENT_CONFIG_KEY;
        if (s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream().noneMatch(o -> o.key().equals(key))) {
            return Optional.empty();
        }
        try {
            doc = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExperimentSplit.parse(doc));
        } catch (IOException e) {
            throw new ExperimentDataException("s3://" + bucket + "/" + S3Layout.EXPERIMENT_CONFIG_KEY + " is not a valid split: "
                    + e.getMessage());
        }
    }

    /** Every row of {@code phase} on {@code route}: a strongly consistent Query on the route's sort-key prefix. */
    private ExperimentDecision.Results results(String phase, String route) {
        List<ArmResult> arms = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(config.table()).consistentRead(true).exclusiveStartKey(from)
                    .keyConditionExpression("#e = :e AND begins_with(#a, :route)")
                    .expressionAttributeNames(Map.of("#e", ExperimentKeys.EXPERIMENT, "#a", ExperimentKeys.ARM))
                    .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(phase),
                            ":route", AttributeValue.fromS(ExperimentKeys.resultArm(route, "")))));
            for (Map<String, AttributeValue> item : page.items()) parse(item, phase, arms, unreadable);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new ExperimentDecision.Results(arms, unreadable);
    }

    private static void parse(Map<String, AttributeValue> item, String phase, List<ArmResult> arms, List<String> unreadable) {
        AttributeValue key = item.get(ExperimentKeys.ARM);
        String arm = key == null ? "?" : key.s();
        AttributeValue result = item.get(ExperimentKeys.RESULT);
        if (result == null || result.s() == null) {
            unreadable.add("row " + arm + " has no " + ExperimentKeys.RESULT);
            return;
        }
        ArmResult r;
        try {
            r = JSON.readValue(result.s(), ArmResult.class);
        } catch (JsonProcessingException e) {
            unreadable.add("row " + arm + " is not a result (" + e.getOriginalMessage() + ")");
            return;
        }
        if (!phase.equals(r.experiment()) || !arm.equals(ExperimentKeys.resultArm(r.route(), r.variant()))) {
            unreadable.add("row " + arm + " of " + phase + " holds the result of " + r.experiment() + " " + r.route() + " " + r.variant());
            return;
        }
        arms.add(r);
    }

    private String campaignArn(String variant, Optional<ExperimentSplit> published) {
        return published.flatMap(p -> p.variants().stream().filter(a -> a.name().equals(variant)).findFirst())
                .map(ExperimentSplit.Arm::campaignArn)
                .or(() -> resources.findCampaignArn(variant))
                .orElseThrow(() -> new ResourceFailedException("variant " + variant + " has no campaign "
                        + training.campaignName(variant) + " to serve the users it would get"));
    }

    private void publish(ExperimentSplit split) {
        s3.putObject(b -> b.bucket(bucket).key(S3Layout.EXPERIMENT_CONFIG_KEY).contentType("application/json"),
                RequestBody.fromBytes(split.toJson()));
    }
}
