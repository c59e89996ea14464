package dev.recsys.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.keys.UserProfileKeys;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every value of the file, by its path, and what Java takes it from: the constant the code uses where there is one,
     * else the typed view (names only Terraform uses: table suffixes, artifacts/, the consumer's metrics).
     */
    private static Map<String, String> javaValues() {
        Contract c = Contract.get();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("s3.raw_interactions_prefix", S3Layout.RAW_PREFIX);
        v.put("s3.raw_exposures_prefix", S3Layout.RAW_EXPOSURES_PREFIX);
        v.put("s3.dead_letter_prefix", S3Layout.DEAD_LETTER_PREFIX);
        v.put("s3.prepared_prefix", S3Layout.PREPARED_PREFIX);
        v.put("s3.models_prefix", S3Layout.MODELS_PREFIX);
        v.put("s3.config_prefix", S3Layout.CONFIG_PREFIX);
        v.put("s3.artifacts_prefix", c.s3().artifactsPrefix());
        v.put("s3.popular_items_key", S3Layout.POPULAR_ITEMS_KEY);
        v.put("s3.experiment_split_key", S3Layout.EXPERIMENT_CONFIG_KEY);
        v.put("s3.prepared_manifest_name", S3Layout.preparedManifestKey("r").substring(S3Layout.preparedRunPrefix("r").length()));
        v.put("tables.interactions.suffix", c.tables().interactions().suffix());
        v.put("tables.interactions.hash_key", InteractionKeys.PARTITION_KEY);
        v.put("tables.interactions.range_key", InteractionKeys.SORT_KEY);
        v.put("tables.interactions.event_time", InteractionKeys.EVENT_TIME);
        v.put("tables.interactions.time_index", InteractionKeys.TIME_INDEX);
        v.put("tables.interactions.item_index", InteractionKeys.ITEM_INDEX);
        v.put("tables.interactions.item_index_hash_key", InteractionKeys.ITEM_INDEX_PARTITION_KEY);
        v.put("tables.interactions.ttl", InteractionKeys.TTL_ATTRIBUTE);
        v.put("tables.user_profiles.suffix", c.tables().userProfiles().suffix());
        v.put("tables.user_profiles.hash_key", UserProfileKeys.PARTITION_KEY);
        v.put("tables.exposures.suffix", c.tables().exposures().suffix());
        v.put("tables.exposures.hash_key", ExperimentKeys.USER_ID);
        v.put("tables.exposures.range_key", ExperimentKeys.RECOMMENDATION_ID);
        v.put("tables.exposures.exposed_at", ExperimentKeys.EXPOSED_AT);
        v.put("tables.exposures.time_index", ExperimentKeys.EXPOSURE_TIME_INDEX);
        v.put("tables.exposures.ttl", ExperimentKeys.TTL);
        v.put("tables.experiment_users.suffix", c.tables().experimentUsers().suffix());
        v.put("tables.experiment_users.hash_key", ExperimentKeys.USER_ID);
        v.put("tables.experiment_users.range_key", ExperimentKeys.ARM);
        v.put("tables.experiment_users.ttl", ExperimentKeys.TTL);
        v.put("tables.experiments.suffix", c.tables().experiments().suffix());
        v.put("tables.experiments.hash_key", ExperimentKeys.EXPERIMENT);
        v.put("tables.experiments.range_key", ExperimentKeys.ARM);
        v.put("metrics.api_namespace_suffix", c.metrics().apiNamespaceSuffix());
        v.put("metrics.consumer_namespace_suffix", c.metrics().consumerNamespaceSuffix());
        v.put("metrics.experiments_namespace", c.metrics().experimentsNamespace());
        v.put("metrics.exposure_dropped", c.metrics().exposureDropped());
        v.put("metrics.consumer_errors", c.metrics().consumerErrors());
        v.put("recipes.related_items", c.recipes().relatedItems());
        v.put("recipes.ranking", c.recipes().ranking());
        return v;
    }

    @Test
    void everyValueOfTheFileIsWhatJavaUses() throws Exception {
        Map<String, String> file = new TreeMap<>();
        leaves(file(), "", file);
        assertThat(new TreeMap<>(javaValues())).isEqualTo(file);
    }

    @Test
    void theValuesTheCodeHasAlwaysUsed() {
        // The names live data already has: a change here is a migration, not an edit.
        assertThat(S3Layout.RAW_PREFIX).isEqualTo("raw/interactions/");
        assertThat(S3Layout.POPULAR_ITEMS_KEY).isEqualTo("config/popular-items.json");
        assertThat(S3Layout.EXPERIMENT_CONFIG_KEY).isEqualTo("config/experiment.json");
        assertThat(S3Layout.preparedManifestKey("run-1")).isEqualTo("prepared/run-1/manifest.json");
        assertThat(InteractionKeys.PARTITION_KEY).isEqualTo(UserProfileKeys.PARTITION_KEY).isEqualTo("user_id");
        assertThat(InteractionKeys.SORT_KEY).isEqualTo("event_id");
        assertThat(ExperimentKeys.ARM).isEqualTo("arm");
        assertThat(Contract.get().metrics().apiNamespace("recsys")).isEqualTo("recsys/api");
        assertThat(Contract.get().metrics().experimentsNamespace()).isEqualTo("Recsys/Experiments");
        // What deployments train when they name no recipe: a change here changes every such deployment's models.
        assertThat(Contract.get().recipes().relatedItems()).isEqualTo("arn:aws:personalize:::recipe/aws-sims");
        assertThat(Contract.get().recipes().ranking()).isEqualTo("arn:aws:personalize:::recipe/aws-personalized-ranking-v2");
    }

    @Test
    void aMissingOrEmptyKeyFailsNamingItsPath() throws Exception {
        ObjectNode root = (ObjectNode) file();
        ((ObjectNode) root.path("tables").path("exposures")).remove("ttl");
        assertThatThrownBy(() -> Contract.parse(root)).hasMessageContaining("tables.exposures.ttl must be a non-empty string");
        ((ObjectNode) root.path("s3")).put("models_prefix", " ");
        assertThatThrownBy(() -> Contract.parse(root)).hasMessageContaining("s3.models_prefix");
        root.remove("metrics");
        assertThatThrownBy(() -> Contract.parse(root)).hasMessageContaining("metrics must be an object");
    }

    @Test
    void keysOnlyTerraformKnowsAreIgnoredAtRunTime() throws Exception {
        ObjectNode root = (ObjectNode) file();
        ((ObjectNode) root.path("s3")).put("glue_temp_prefix", "glue-temp/");
        assertThat(Contract.parse(root)).isEqualTo(Contract.get());
    }

    private static JsonNode file() throws Exception {
        try (InputStream in = Contract.class.getResourceAsStream(Contract.RESOURCE)) {
            return JSON.readTree(in);
        }
    }

    private static void leaves(JsonNode node, String path, Map<String, String> out) {
        node.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("_")) return; // comments
            if (e.getValue().isObject()) leaves(e.getValue(), path + e.getKey() + ".", out);
            else out.put(path + e.getKey(), e.getValue().asText());
        });
    }
}
