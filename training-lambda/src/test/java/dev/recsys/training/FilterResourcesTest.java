package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline makes the dataset group's filters match the configured ones, through ensureResources. */
class FilterResourcesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PURCHASED = "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")";
    private static final String CATEGORY = "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)";
    private static final List<SolutionPlan.Variant> A = List.of(
            new SolutionPlan.Variant("a", "arn:aws:personalize:::recipe/aws-user-personalization-v2"));

    private final FakePersonalize personalize = new FakePersonalize();
    private TrainingTasks tasks = tasks(Map.of("exclude-purchased", PURCHASED));

    private TrainingTasks tasks(Map<String, String> filters) {
        TrainingConfig c = new TrainingConfig("us-east-1", "data", "recsys", SolutionPlan.withDefaults(A),
                "arn:aws:iam::000000000000:role/import", 0.02, false, true, 3, 1, null, null, null, null)
                .withFilters(new FilterPlan(filters));
        return new TrainingTasks(c, personalize, new FakeS3(), null, Clock.systemUTC());
    }

    private JsonNode ensure() {
        return tasks.handle(JSON.createObjectNode().put("action", "ensureResources"));
    }

    /** The dataset group, then its datasets, made and ACTIVE: the point where filters can be made. */
    private void datasetsActive() {
        ensure();
        personalize.activateAll();
        ensure();
        assertThat(personalize.filters).as("no filter before the datasets are ACTIVE").isEmpty();
        personalize.activateAll();
    }

    private FakePersonalize.Res onlyFilter() {
        assertThat(personalize.filters).hasSize(1);
        return personalize.filters.values().iterator().next();
    }

    @Test
    void filtersAreCreatedOnceTheDatasetIsActiveAndTheRunWaitsForThem() {
        JsonNode first = ensure();
        assertThat(personalize.filters).as("no filter before the dataset exists").isEmpty();
        assertThat(first.path("filters").isEmpty()).isTrue();
        personalize.activateAll();
        assertThat(ensure().path("filters").isEmpty()).as("datasets still CREATE PENDING").isTrue();
        assertThat(personalize.filters).isEmpty();
        personalize.activateAll();

        JsonNode second = ensure();
        FakePersonalize.Res f = onlyFilter();
        assertThat(f.name()).isEqualTo("recsys-exclude-purchased");
        assertThat(f.extra()).isEqualTo(PURCHASED);
        assertThat(f.parent()).isEqualTo(second.path("datasetGroupArn").asText());
        assertThat(second.path("filters").path("exclude-purchased").asText()).isEqualTo(f.arn());
        assertThat(second.path("ready").asBoolean()).isFalse();
        assertThat(second.path("waitingFor").asText()).contains("filter recsys-exclude-purchased is CREATE PENDING");

        personalize.activateAll();
        JsonNode third = ensure();
        assertThat(third.path("ready").asBoolean()).isTrue();
        assertThat(third.path("filters").path("exclude-purchased").asText()).isEqualTo(f.arn());
        assertThat(personalize.count("createFilter")).as("found by name, never created twice").isEqualTo(1);
    }

    @Test
    void aChangedExpressionReplacesTheFilterUnderTheSameArn() {
        datasetsActive();
        ensure();
        personalize.activateAll();
        String arn = onlyFilter().arn();

        String changed = PURCHASED.replace("\"purchase\"", "\"purchase\", \"return\"");
        tasks = tasks(Map.of("exclude-purchased", changed));
        JsonNode replacing = ensure();
        assertThat(personalize.count("deleteFilter")).isEqualTo(1);
        assertThat(replacing.path("ready").asBoolean()).isFalse();
        assertThat(replacing.path("waitingFor").asText()).contains("being replaced: its expression changed");
        JsonNode stillDeleting = ensure();
        assertThat(stillDeleting.path("waitingFor").asText()).contains("DELETE PENDING");
        assertThat(personalize.count("deleteFilter")).as("deleted once").isEqualTo(1);

        personalize.activateAll();
        ensure();
        assertThat(onlyFilter().extra()).isEqualTo(changed);
        assertThat(onlyFilter().arn()).isEqualTo(arn);
        personalize.activateAll();
        assertThat(ensure().path("ready").asBoolean()).isTrue();
    }

    @Test
    void aFailedFilterFailsTheRunWithPersonalizesReason() {
        datasetsActive();
        ensure();
        personalize.filters.replaceAll((k, f) -> f.with("CREATE FAILED", "field CATEGORY is not in the Items schema"));
        assertThatThrownBy(this::ensure).isInstanceOf(ResourceFailedException.class)
                .hasMessageContaining("filter recsys-exclude-purchased is CREATE FAILED: field CATEGORY is not in the Items schema");
    }

    @Test
    void filtersTheConfigurationDoesNotNameAreLeftAlone() {
        datasetsActive();
        ensure();
        personalize.activateAll();
        tasks = tasks(Map.of("by-category", CATEGORY));
        ensure();
        assertThat(personalize.filters.values()).extracting(FakePersonalize.Res::name)
                .containsExactlyInAnyOrder("recsys-exclude-purchased", "recsys-by-category");
        assertThat(personalize.count("deleteFilter")).isZero();
    }

    @Test
    void withoutConfiguredFiltersThePipelineNeverCallsTheFilterApis() {
        tasks = tasks(Map.of());
        datasetsActive();
        personalize.activateAll();
        assertThat(ensure().path("ready").asBoolean()).isTrue();
        assertThat(personalize.count("listFilters") + personalize.count("createFilter") + personalize.count("deleteFilter"))
                .as("a Personalize (or engine) without filters still trains").isZero();
    }

    @Test
    void theConfigurationRefusesWhatPersonalizeWouldRefuse() {
        assertThatThrownBy(() -> new FilterPlan(Map.of("Bad_Name", PURCHASED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filter name must match");
        assertThatThrownBy(() -> new FilterPlan(Map.of("typo", "EXCLUDE ItemID WHER Items.CATEGORY IN (\"a\")")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("filter typo: ");
        Map<String, String> eleven = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) eleven.put("f" + i, PURCHASED);
        assertThatThrownBy(() -> new FilterPlan(eleven)).hasMessageContaining("at most 10 filters");
        assertThatThrownBy(() -> FilterPlan.parse("[\"x\"]")).hasMessageContaining("JSON object of name -> expression");
        assertThatThrownBy(() -> FilterPlan.parse("{\"x\": 3}")).hasMessageContaining("filter x: the expression must be a string");
        assertThat(FilterPlan.parse(" ").expressions()).isEmpty();
        assertThat(FilterPlan.parse("{\"exclude-purchased\": " + JSON.valueToTree(PURCHASED) + "}").expressions())
                .containsExactly(Map.entry("exclude-purchased", PURCHASED));
    }

    @Test
    void theEnvironmentVariableIsReadAndABadOneNamesItself() {
        Map<String, String> env = new LinkedHashMap<>(Map.of("AWS_REGION", "us-east-1", "DATA_BUCKET", "data",
                "VARIANTS", "a=arn:aws:personalize:::recipe/aws-user-personalization-v2",
                "IMPORT_ROLE_ARN", "arn:aws:iam::000000000000:role/import"));
        assertThat(TrainingConfig.fromEnv(env).filters().expressions()).isEmpty();
        env.put("FILTERS", "{\"by-category\": " + JSON.valueToTree(CATEGORY) + "}");
        assertThat(TrainingConfig.fromEnv(env).filters().expressions()).containsEntry("by-category", CATEGORY);
        env.put("FILTERS", "{\"by-category\": \"INCLUDE ItemID\"}");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(env)).hasMessageStartingWith("FILTERS: filter by-category: ");
    }
}
