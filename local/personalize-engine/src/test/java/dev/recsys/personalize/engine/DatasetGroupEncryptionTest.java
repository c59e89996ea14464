package dev.recsys.personalize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.personalize.engine.config.EngineConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.CreateDatasetGroupRequest;
import software.amazon.awssdk.services.personalize.model.DatasetGroup;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;

/**
 * CreateDatasetGroup with a KMS key, through the unchanged SDK client: the engine takes kmsKeyArn and roleArn as
 * Personalize does (both or neither, in the API's ARN patterns) and DescribeDatasetGroup returns them. Nothing here
 * reaches S3, so the object store points nowhere.
 */
class DatasetGroupEncryptionTest {

    private static final String KEY = "arn:aws:kms:us-east-1:000000000000:key/11111111-1111-1111-1111-111111111111";
    private static final String ROLE = "arn:aws:iam::000000000000:role/recsys-dataset-group-key-20260101";

    @TempDir
    Path stateDir;

    private PersonalizeEngine engine;
    private PersonalizeClient client;

    private void start() {
        engine = PersonalizeEngine.start(EngineConfig.local(stateDir, URI.create("http://127.0.0.1:9"), "a", "b", "models")
                .withStepDelay(Duration.ofMillis(20)));
        client = EngineFixture.control(engine.endpoint());
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (engine != null) engine.close();
    }

    @Test
    void aDatasetGroupKeepsTheKeyAndRoleItWasCreatedWithAcrossARestart() {
        start();
        String arn = client.createDatasetGroup(b -> b.name("shop").kmsKeyArn(KEY).roleArn(ROLE)).datasetGroupArn();
        DatasetGroup group = client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup();
        assertThat(group.kmsKeyArn()).isEqualTo(KEY);
        assertThat(group.roleArn()).isEqualTo(ROLE);

        stop();
        start();
        DatasetGroup again = client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup();
        assertThat(again.kmsKeyArn()).isEqualTo(KEY);
        assertThat(again.roleArn()).isEqualTo(ROLE);
    }

    @Test
    void withoutAKeyThereIsNoneAndNoRole() {
        start();
        String arn = client.createDatasetGroup(b -> b.name("plain")).datasetGroupArn();
        DatasetGroup group = client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup();
        assertThat(group.kmsKeyArn()).isNull();
        assertThat(group.roleArn()).isNull();
    }

    @Test
    void aKeyNeedsARoleARoleNeedsAKeyAndBothAreArnsOfTheirKind() {
        start();
        refused(b -> b.name("g").kmsKeyArn(KEY), "roleArn that can use the KMS key is required");
        refused(b -> b.name("g").roleArn(ROLE), "roleArn is only valid when a kmsKeyArn is also specified");
        refused(b -> b.name("g").kmsKeyArn("arn:aws:kms:us-east-1:000000000000:alias/recsys").roleArn(ROLE), "kmsKeyArn");
        refused(b -> b.name("g").kmsKeyArn("11111111-1111-1111-1111-111111111111").roleArn(ROLE), "kmsKeyArn");
        refused(b -> b.name("g").kmsKeyArn(KEY).roleArn("arn:aws:iam::000000000000:user/someone"), "roleArn");
        refused(b -> b.name("g").kmsKeyArn(KEY).roleArn("arn:aws:iam::000000000000:role/" + "r".repeat(250)), "at most 256 characters");
        // A refused request creates nothing: the name is still free.
        assertThat(client.listDatasetGroups(b -> {}).datasetGroups()).isEmpty();
        assertThat(client.createDatasetGroup(b -> b.name("g").kmsKeyArn(KEY).roleArn(ROLE)).datasetGroupArn()).endsWith(":dataset-group/g");
    }

    private void refused(Consumer<CreateDatasetGroupRequest.Builder> request, String message) {
        assertThatThrownBy(() -> client.createDatasetGroup(request)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message);
    }
}
