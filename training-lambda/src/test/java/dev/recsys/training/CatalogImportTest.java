package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.keys.UsersDataset;
import dev.recsys.common.pipeline.PreparationManifest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Items and Users datasets: created beside the interactions, imported when the run prepared them, waited for. */
class CatalogImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakePersonalize personalize = new FakePersonalize();
    private final FakeS3 s3 = new FakeS3();
    private final TrainingTasks tasks = new TrainingTasks(new TrainingConfig("us-east-1", "data", "recsys",
            SolutionPlan.withDefaults(List.of(new SolutionPlan.Variant("a", "arn:aws:personalize:::recipe/aws-user-personalization-v2"))),
            "arn:aws:iam::000000000000:role/import", 0.02, false, true, 3, 1, null, null, null, null), personalize, s3, null,
            Clock.systemUTC());

    private JsonNode run(String action, Object... fields) {
        ObjectNode in = JSON.createObjectNode().put("action", action);
        for (int i = 0; i < fields.length; i += 2) in.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        return tasks.handle(in);
    }

    private JsonNode ready() {
        for (int i = 0; i < 3; i++) {
            run("ensureResources");
            personalize.activateAll();
        }
        return run("ensureResources");
    }

    private void manifest(String runId, PreparationManifest.Catalog catalog) {
        manifest(runId, catalog, null);
    }

    private void manifest(String runId, PreparationManifest.Catalog catalog, PreparationManifest.Catalog users) {
        PreparationManifest m = new PreparationManifest(runId, PreparationManifest.SUCCEEDED, null, "2026-02-28T12:00:00Z",
                "2026-03-01T12:00:00Z", 24, 0, 1500, 0, new TreeMap<>(), 1500, 60, 40, 4, 0, List.of("USER_ID"),
                "prepared/" + runId + "/interactions/", List.of(), catalog, users);
        s3.objects.put("data/" + S3Layout.preparedManifestKey(runId), m.toJson().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theItemsDatasetIsCreatedWithTheCatalogSchema() {
        JsonNode res = ready();
        assertThat(res.path("ready").asBoolean()).isTrue();
        FakePersonalize.Res items = personalize.datasets.get(res.path("itemsDatasetArn").asText());
        assertThat(items.name()).isEqualTo("recsys-items");
        assertThat(items.extra()).isEqualTo("Items");
        assertThat(personalize.schemas.values()).filteredOn(s -> s.name().equals("recsys-items-v1")).singleElement()
                .satisfies(s -> assertThat(s.extra()).isEqualTo(ItemsDataset.schemaJson()));
        FakePersonalize.Res users = personalize.datasets.get(res.path("usersDatasetArn").asText());
        assertThat(users.name()).isEqualTo("recsys-users");
        assertThat(users.extra()).isEqualTo("Users");
        assertThat(personalize.schemas.values()).filteredOn(s -> s.name().equals("recsys-users-v1")).singleElement()
                .satisfies(s -> assertThat(s.extra()).isEqualTo(UsersDataset.schemaJson()));
        run("ensureResources");
        assertThat(personalize.count("createDataset")).as("found by type, never created twice").isEqualTo(3);
    }

    @Test
    void aRunWithUsersImportsThemAndWaitsForAllThreeImports() {
        JsonNode res = ready();
        manifest("run-4", new PreparationManifest.Catalog(1, 5, new TreeMap<>(), 5, 5, 0, 0, "prepared/run-4/items/"),
                new PreparationManifest.Catalog(2, 12, new TreeMap<>(Map.of("invalid_field_value", 1L)), 11, 9, 2, 0, "prepared/run-4/users/"));
        Object[] args = {"runId", "run-4", "datasetArn", res.path("datasetArn").asText(), "itemsDatasetArn", res.path("itemsDatasetArn").asText(),
                "usersDatasetArn", res.path("usersDatasetArn").asText()};
        JsonNode started = run("startImport", args);
        JsonNode again = run("startImport", args);
        String usersJob = started.path("usersImportJobArn").asText();
        assertThat(again.path("usersImportJobArn").asText()).as("a retry finds the job").isEqualTo(usersJob);
        assertThat(personalize.count("createDatasetImportJob")).isEqualTo(3);
        assertThat(personalize.imports.get(usersJob).extra()).isEqualTo("s3://data/prepared/run-4/users/");
        assertThat(started.path("catalogUsers").asLong()).isEqualTo(9);

        String interactionsJob = started.path("importJobArn").asText();
        String itemsJob = started.path("itemsImportJobArn").asText();
        personalize.activateWhere(arn -> !arn.equals(usersJob));
        JsonNode waiting = run("describeImport", "importJobArn", interactionsJob, "itemsImportJobArn", itemsJob, "usersImportJobArn", usersJob);
        assertThat(waiting.path("status").asText()).as("the users are still importing").isEqualTo("PENDING");
        assertThat(waiting.path("personalizeStatus").asText()).isEqualTo("interactions ACTIVE, items ACTIVE, users CREATE PENDING");
        personalize.imports.computeIfPresent(usersJob, (k, r) -> r.with("CREATE FAILED", "AGE is not an int"));
        assertThatThrownBy(() -> run("describeImport", "importJobArn", interactionsJob, "itemsImportJobArn", itemsJob, "usersImportJobArn", usersJob))
                .isInstanceOf(ResourceFailedException.class).hasMessageContaining("CREATE FAILED: AGE is not an int");
    }

    @Test
    void withoutALiveUserNoUsersImportStarts() {
        JsonNode res = ready();
        manifest("run-5", null, new PreparationManifest.Catalog(1, 1, new TreeMap<>(), 1, 0, 1, 0, null));
        JsonNode started = run("startImport", "runId", "run-5", "datasetArn", res.path("datasetArn").asText(),
                "usersDatasetArn", res.path("usersDatasetArn").asText());
        assertThat(started.path("usersImportJobArn").isNull()).isTrue();
        assertThat(personalize.count("createDatasetImportJob")).isEqualTo(1);
    }

    @Test
    void aRunWithACatalogImportsItsItemsAndWaitsForBothImports() {
        JsonNode res = ready();
        manifest("run-1", new PreparationManifest.Catalog(2, 30, new TreeMap<>(Map.of("wrong_type", 2L)), 28, 20, 3, 4,
                "prepared/run-1/items/"));
        JsonNode started = run("startImport", "runId", "run-1", "datasetArn", res.path("datasetArn").asText(),
                "itemsDatasetArn", res.path("itemsDatasetArn").asText());
        JsonNode again = run("startImport", "runId", "run-1", "datasetArn", res.path("datasetArn").asText(),
                "itemsDatasetArn", res.path("itemsDatasetArn").asText());
        String itemsJob = started.path("itemsImportJobArn").asText();
        assertThat(again.path("itemsImportJobArn").asText()).isEqualTo(itemsJob);
        assertThat(personalize.count("createDatasetImportJob")).as("one per dataset, even when retried").isEqualTo(2);
        assertThat(personalize.imports.get(itemsJob).extra()).isEqualTo("s3://data/prepared/run-1/items/");
        assertThat(started.path("catalogItems").asLong()).isEqualTo(20);
        assertThat(started.path("catalogDropped").asLong()).isEqualTo(2);

        String interactionsJob = started.path("importJobArn").asText();
        personalize.activateWhere(arn -> arn.equals(interactionsJob));
        JsonNode half = run("describeImport", "importJobArn", interactionsJob, "itemsImportJobArn", itemsJob);
        assertThat(half.path("status").asText()).as("the items are still importing").isEqualTo("PENDING");
        assertThat(half.path("personalizeStatus").asText()).isEqualTo("interactions ACTIVE, items CREATE PENDING");
        personalize.activateAll();
        assertThat(run("describeImport", "importJobArn", interactionsJob, "itemsImportJobArn", itemsJob).path("status").asText())
                .isEqualTo("ACTIVE");
    }

    @Test
    void aFailedItemsImportFailsTheRunWithPersonalizesReason() {
        JsonNode res = ready();
        manifest("run-2", new PreparationManifest.Catalog(1, 5, new TreeMap<>(), 5, 5, 0, 0, "prepared/run-2/items/"));
        JsonNode started = run("startImport", "runId", "run-2", "datasetArn", res.path("datasetArn").asText(),
                "itemsDatasetArn", res.path("itemsDatasetArn").asText());
        String itemsJob = started.path("itemsImportJobArn").asText();
        personalize.imports.computeIfPresent(itemsJob, (k, r) -> r.with("CREATE FAILED", "PRICE is not a float"));
        assertThatThrownBy(() -> run("describeImport", "importJobArn", started.path("importJobArn").asText(), "itemsImportJobArn", itemsJob))
                .isInstanceOf(ResourceFailedException.class).hasMessageContaining("CREATE FAILED: PRICE is not a float");
    }

    @Test
    void withoutALiveItemNothingIsImportedAndTheInteractionsAloneAreWaitedFor() {
        JsonNode res = ready();
        manifest("run-3", new PreparationManifest.Catalog(1, 2, new TreeMap<>(), 2, 0, 1, 0, null));
        JsonNode started = run("startImport", "runId", "run-3", "datasetArn", res.path("datasetArn").asText(),
                "itemsDatasetArn", res.path("itemsDatasetArn").asText());
        assertThat(started.path("itemsImportJobArn").isNull()).isTrue();
        assertThat(personalize.count("createDatasetImportJob")).isEqualTo(1);
        personalize.activateAll();
        JsonNode done = run("describeImport", "importJobArn", started.path("importJobArn").asText(), "itemsImportJobArn", null);
        assertThat(done.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(done.path("personalizeStatus").asText()).isEqualTo("ACTIVE");
    }
}
