package dev.recsys.personalize.engine.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.personalize.engine.storage.ModelRepository;
import dev.recsys.personalize.engine.storage.ObjectStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Persistence and recovery through the control plane's own operations, in process: nothing here reaches
 * S3 (no import, training or model load), so the object store points nowhere.
 */
class ControlPlaneRecoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ObjectStore objects = new ObjectStore(S3Client.builder().region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build());
    private ControlPlane control;

    @AfterEach
    void stop() {
        if (control != null) control.close();
        objects.close();
    }

    @Test
    void resourcesSurviveARestartAndThoseWithoutWorkFinish() throws Exception {
        control = start(Duration.ofHours(1));
        String dg = call("CreateDatasetGroup", req().put("name", "shop")).path("datasetGroupArn").asText();
        call("CreateSchema", req().put("name", "s").put("schema",
                "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"}]}"));
        assertThat(describe("DescribeDatasetGroup", "datasetGroupArn", dg, "datasetGroup").path("status").asText())
                .isEqualTo(Lifecycle.PENDING);
        control.close();

        control = start(Duration.ofMillis(20));
        ObjectNode group = describe("DescribeDatasetGroup", "datasetGroupArn", dg, "datasetGroup");
        assertThat(group.path("status").asText()).isEqualTo(Lifecycle.ACTIVE);
        assertThat(group.path("name").asText()).isEqualTo("shop");
        assertThat(call("ListSchemas", req()).path("schemas")).hasSize(1);
    }

    @Test
    void workInFlightFailsAfterARestartAndACampaignKeepsServing() throws Exception {
        EngineConfig config = config(Duration.ofHours(1));
        ResourceStore before = new ResourceStore(config, JSON);
        String sv = before.arn(ResourceKind.SOLUTION, "s") + "/0000abcd";
        before.create(ResourceKind.SOLUTION_VERSION, sv, null);
        String campaign = before.arn(ResourceKind.CAMPAIGN, "c");
        ObjectNode c = before.create(ResourceKind.CAMPAIGN, campaign, "c");
        Lifecycle.setStatus(c, Lifecycle.ACTIVE);
        c.putObject("latestCampaignUpdate").put("status", Lifecycle.IN_PROGRESS);
        before.persist();

        control = start(Duration.ofHours(1));
        ObjectNode version = describe("DescribeSolutionVersion", "solutionVersionArn", sv, "solutionVersion");
        assertThat(version.path("status").asText()).isEqualTo(Lifecycle.FAILED);
        assertThat(version.path("failureReason").asText()).isEqualTo("The engine restarted while this resource was being created");
        ObjectNode served = describe("DescribeCampaign", "campaignArn", campaign, "campaign");
        assertThat(served.path("status").asText()).isEqualTo(Lifecycle.ACTIVE);
        assertThat(served.path("latestCampaignUpdate").path("status").asText()).isEqualTo(Lifecycle.FAILED);
        assertThat(served.path("latestCampaignUpdate").path("failureReason").asText())
                .isEqualTo("The engine restarted while this update was in progress");
        // Recovery is saved at once, not only at the next change.
        assertThat(new ResourceStore(config, JSON).get(ResourceKind.SOLUTION_VERSION, sv).path("status").asText())
                .isEqualTo(Lifecycle.FAILED);
    }

    @Test
    void listsPageNewestFirstAndErrorsAreTyped() throws Exception {
        control = start(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            call("CreateDatasetGroup", req().put("name", "g" + i));
            Thread.sleep(5);
        }
        ObjectNode first = call("ListDatasetGroups", req().put("maxResults", 2));
        assertThat(first.path("datasetGroups").findValuesAsText("name")).containsExactly("g2", "g1");
        assertThat(first.path("nextToken").asText()).isEqualTo("2");
        ObjectNode second = call("ListDatasetGroups", req().put("maxResults", 2).put("nextToken", "2"));
        assertThat(second.path("datasetGroups").findValuesAsText("name")).containsExactly("g0");
        assertThat(second.has("nextToken")).isFalse();

        assertCode(() -> call("ListDatasetGroups", req().put("maxResults", 101)), ErrorCode.InvalidInputException);
        assertCode(() -> call("ListDatasetGroups", req().put("nextToken", "x")), ErrorCode.InvalidInputException);
        assertCode(() -> call("CreateDatasetGroup", req().put("name", "g0")), ErrorCode.ResourceAlreadyExistsException);
        assertCode(() -> call("CreateDatasetGroup", req().put("name", "-bad")), ErrorCode.InvalidInputException);
        assertCode(() -> call("DescribeDatasetGroup", req().put("datasetGroupArn", "arn:nope")), ErrorCode.ResourceNotFoundException);
        assertCode(() -> call("CreateRecommender", req()), ErrorCode.UnknownOperationException);
        assertCode(() -> call("CreateFilter", req()), ErrorCode.InvalidInputException);
    }

    private ControlPlane start(Duration step) throws Exception {
        return new ControlPlane(config(step), JSON, objects, new ModelRepository(objects, "models", 1));
    }

    private EngineConfig config(Duration step) {
        return EngineConfig.local(dir, null, null, null, "models").withStepDelay(step);
    }

    private ObjectNode call(String op, ObjectNode request) {
        return control.call(op, request);
    }

    private ObjectNode describe(String op, String arnField, String arn, String field) {
        return (ObjectNode) call(op, req().put(arnField, arn)).get(field);
    }

    private static ObjectNode req() {
        return JSON.createObjectNode();
    }

    private static void assertCode(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
