package dev.recsys.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.common.keys.UserKeys;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.keys.UserProfileKeys;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Every value of the file, by its path, and what Java takes it from: the constant the code uses where there is one,
     * else the typed view (names only Terraform uses: table suffixes, artifacts/, the consumer's metrics; and the names
     * each module's own test ties to its code: api-lambda's routes and environment, the training and consumer environment,
     * the consumer's result metrics).
     */
    private static Map<String, String> javaValues() {
        Contract c = Contract.get();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("s3.raw_interactions_prefix", S3Layout.RAW_PREFIX);
        v.put("s3.raw_exposures_prefix", S3Layout.RAW_EXPOSURES_PREFIX);
        v.put("s3.raw_items_prefix", S3Layout.RAW_ITEMS_PREFIX);
        v.put("s3.catalog_import_prefix", S3Layout.CATALOG_IMPORT_PREFIX);
        v.put("s3.raw_users_prefix", S3Layout.RAW_USERS_PREFIX);
        v.put("s3.users_import_prefix", S3Layout.USERS_IMPORT_PREFIX);
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
        v.put("tables.items.suffix", c.tables().items().suffix());
        v.put("tables.items.hash_key", ItemKeys.PARTITION_KEY);
        v.put("tables.users.suffix", c.tables().users().suffix());
        v.put("tables.users.hash_key", UserKeys.PARTITION_KEY);
        v.put("metrics.api_namespace_suffix", c.metrics().apiNamespaceSuffix());
        v.put("metrics.consumer_namespace_suffix", c.metrics().consumerNamespaceSuffix());
        v.put("metrics.training_namespace_suffix", c.metrics().trainingNamespaceSuffix());
        v.put("metrics.experiments_namespace", c.metrics().experimentsNamespace());
        v.put("metrics.exposure_dropped", c.metrics().exposureDropped());
        v.put("metrics.api_route_dimension", c.metrics().apiRouteDimension());
        v.put("metrics.consumer_errors", c.metrics().consumerErrors());
        v.put("metrics.consumer_lag.namespace", c.metrics().consumerLag().namespace());
        v.put("metrics.consumer_lag.metric", c.metrics().consumerLag().metric());
        v.put("metrics.consumer_lag.stream_dimension", c.metrics().consumerLag().streamDimension());
        v.put("metrics.training_tasks.action_dimension", c.metrics().trainingTasks().actionDimension());
        v.put("metrics.training_tasks.duration", c.metrics().trainingTasks().duration());
        v.put("metrics.training_tasks.errors", c.metrics().trainingTasks().errors());
        Contract.ExperimentResults results = c.metrics().experimentResults();
        v.put("metrics.experiment_results.dimensions.experiment", results.dimensions().experiment());
        v.put("metrics.experiment_results.dimensions.route", results.dimensions().route());
        v.put("metrics.experiment_results.dimensions.variant", results.dimensions().variant());
        v.put("metrics.experiment_results.counts.users", results.counts().users());
        v.put("metrics.experiment_results.counts.exposures", results.counts().exposures());
        v.put("metrics.experiment_results.counts.clicks", results.counts().clicks());
        v.put("metrics.experiment_results.counts.conversions", results.counts().conversions());
        v.put("metrics.experiment_results.ratios.ctr", results.ratios().ctr());
        v.put("metrics.experiment_results.ratios.conversion_rate", results.ratios().conversionRate());
        v.put("metrics.experiment_results.ratios.ctr_p_value", results.ratios().ctrPValue());
        v.put("metrics.experiment_results.ratios.ctr_lift", results.ratios().ctrLift());
        v.put("metrics.experiment_results.ratios.winner", results.ratios().winner());
        v.put("recipes.related_items", c.recipes().relatedItems());
        v.put("recipes.ranking", c.recipes().ranking());
        v.put("recipes.trending", c.recipes().trending());
        c.api().routes().forEach((key, r) -> {
            v.put("api.routes." + key + ".method", r.method());
            v.put("api.routes." + key + ".template", r.template());
            v.put("api.routes." + key + ".exposure", String.valueOf(r.exposure()));
            v.put("api.routes." + key + ".auth", r.auth().name().toLowerCase(java.util.Locale.ROOT));
        });
        v.put("api.routes.user_recommendations.template", Exposure.USER_RECOMMENDATIONS);
        v.put("api.auth.resource_server", c.api().auth().resourceServer());
        v.put("api.auth.user_scope", c.api().auth().userScope());
        v.put("api.auth.any_user_scope", c.api().auth().anyUserScope());
        c.api().auth().routeScopeKeys().forEach((caller, keys) ->
                v.put("api.auth.route_scopes." + caller.name().toLowerCase(java.util.Locale.ROOT), String.join(",", keys)));
        v.put("api.auth.default_user_claim", c.api().auth().defaultUserClaim());
        v.put("api.routes.recommend.template", Exposure.RECOMMEND);
        v.put("api.routes.similar_items.template", Exposure.SIMILAR_ITEMS);
        v.put("api.routes.rankings.template", Exposure.RANKINGS);
        v.put("experiment.default_id", c.experiment().defaultId());
        v.put("experiment.default_route", c.experiment().defaultRoute());
        c.filters().definitions().forEach((name, expression) -> v.put("filters.definitions." + name, expression));
        v.put("filters.default_user_filter", c.filters().defaultUserFilter());
        v.put("redis.iam_token.service", c.redis().iamToken().service());
        v.put("redis.iam_token.lifetime_seconds", Long.toString(c.redis().iamToken().lifetime().toSeconds()));
        c.redis().users().forEach((k, u) -> {
            v.put("redis.users." + k + ".name_suffix", u.nameSuffix());
            v.put("redis.users." + k + ".access_string", u.accessString());
        });
        for (Contract.Variables vars : List.of(c.environment().apiLambda(), c.environment().trainingLambda(), c.environment().kclConsumer(),
                c.environment().lambdaLibraries())) {
            vars.names().forEach((key, name) -> v.put("environment." + vars.component() + "." + key, name));
        }
        return v;
    }

    @Test
    void everyValueOfTheFileIsWhatJavaUses() throws Exception {
        Map<String, String> file = new TreeMap<>();
        leaves(file(), "", file);
        assertThat(new TreeMap<>(javaValues())).isEqualTo(file);
    }

    @Test
    void routeScopesAdmitEndUsersWithEitherScopeAndMachinesOnlyWithTheAnyUserOne() {
        Contract.Auth auth = Contract.get().api().auth();
        assertThat(auth.scopesFor(Contract.Caller.USER)).containsExactly("recs/read", "recs/any-user");
        assertThat(auth.scopesFor(Contract.Caller.MACHINE)).containsExactly("recs/any-user");
        assertThat(auth.scopesFor(Contract.Caller.NONE)).isEmpty();
        assertThat(auth.defaultUserClaim()).isEqualTo("username");
        assertThatThrownBy(() -> new Contract.Auth("r", "u", "a", Map.of(Contract.Caller.USER, List.of("user_scope")), "username"))
                .hasMessageContaining("must name user and machine");
        assertThatThrownBy(() -> new Contract.Auth("r", "u", "a", Map.of(Contract.Caller.USER, List.of("admin"),
                Contract.Caller.MACHINE, List.of("any_user_scope")), "username")).hasMessageContaining("not [admin]");
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
        // Clients call these routes, stored exposures and metrics carry them, dashboards keep their history by these names.
        assertThat(Exposure.USER_RECOMMENDATIONS).isEqualTo("/users/{userId}/recommendations");
        assertThat(Exposure.ROUTES).containsExactlyInAnyOrder("/users/{userId}/recommendations", "/recommendations",
                "/items/{itemId}/similar", "/rankings");
        assertThat(Contract.get().metrics().experimentResults().counts().users()).isEqualTo("Users");
        assertThat(Contract.get().metrics().experimentResults().ratios().ctrPValue()).isEqualTo("CtrPValue");
        // What every deployment that names no filters serves by default: bought and unavailable items never shown.
        assertThat(Contract.get().filters().definitions()).containsExactly(java.util.Map.entry("exclude-purchased",
                "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\") | EXCLUDE ItemID WHERE Items.AVAILABLE IN (\"false\")"));
        assertThat(Contract.get().filters().defaultUserFilter()).isEqualTo("exclude-purchased");
        // A new default experiment id reshuffles the users of every deployment that names none.
        assertThat(Contract.get().experiment().defaultId()).isEqualTo("recs-ab-1");
    }

    @Test
    void theExposureRoutesAreExactlyTheOnesExposureNames() {
        // An exposure route added to the contract needs its Exposure constant (and the API its answer recorded).
        assertThat(Exposure.ROUTES).isEqualTo(Set.of(Exposure.USER_RECOMMENDATIONS, Exposure.RECOMMEND, Exposure.SIMILAR_ITEMS, Exposure.RANKINGS));
    }

    @Test
    void theDefaultFiltersAreExpressionsTheEngineAndTheApiAccept() {
        Contract.get().filters().definitions().forEach((name, expression) ->
                assertThat(dev.recsys.common.filter.FilterExpression.parse(expression)).as(name).isNotNull());
        assertThatThrownBy(() -> new Contract.Filters(Map.of("a", "EXCLUDE ItemID WHERE Items.X IN (\"y\")"), "b"))
                .hasMessageContaining("must name one of filters.definitions");
    }

    @Test
    void theDefaultExperimentRouteIsAnExposureRoute() {
        Contract c = Contract.get();
        assertThat(c.api().route(c.experiment().defaultRoute()).exposure()).isTrue();
        assertThat(c.api().route(c.experiment().defaultRoute()).template()).isEqualTo(Exposure.USER_RECOMMENDATIONS);
    }

    @Test
    void eachComponentDeclaresEveryVariableNameOnce() {
        Contract.Environment env = Contract.get().environment();
        for (Contract.Variables vars : List.of(env.apiLambda(), env.trainingLambda(), env.kclConsumer(), env.lambdaLibraries())) {
            assertThat(vars.all()).as(vars.component()).doesNotHaveDuplicates().allMatch(n -> n.matches("[A-Z][A-Z0-9_]*"));
        }
        assertThat(env.apiLambda().all()).allMatch(n -> n.startsWith("RECSYS_"));
    }

    @Test
    void readingAVariableTheContractDoesNotDeclareFailsNamingTheComponent() {
        Contract.Variables api = Contract.get().environment().apiLambda();
        assertThat(api.name("experiment")).isEqualTo("RECSYS_EXPERIMENT");
        assertThat(api.value(Map.of("RECSYS_EXPERIMENT", "recs-ab-7"), "experiment")).isEqualTo("recs-ab-7");
        assertThatThrownBy(() -> api.name("experiment_salt")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("environment.api_lambda declares no variable 'experiment_salt'");
        assertThatThrownBy(() -> api.value(Map.of(), "RECSYS_EXPERIMENT")).hasMessageContaining("declares no variable 'RECSYS_EXPERIMENT'");
        assertThatThrownBy(() -> Contract.get().api().route("search")).hasMessageContaining("api.routes declares no route search");
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
    void routesAndEnvironmentsAreCheckedLikeTheRest() throws Exception {
        ObjectNode route = (ObjectNode) file();
        ((ObjectNode) route.path("api").path("routes").path("health")).put("exposure", "no");
        assertThatThrownBy(() -> Contract.parse(route)).hasMessageContaining("api.routes.health.exposure must be true or false");
        ObjectNode auth = (ObjectNode) file();
        ((ObjectNode) auth.path("api").path("routes").path("health")).put("auth", "anyone");
        assertThatThrownBy(() -> Contract.parse(auth)).hasMessageContaining("api.routes.health.auth must be user, machine or none");
        ObjectNode scopes = (ObjectNode) file();
        ((ObjectNode) scopes.path("api")).remove("auth");
        assertThatThrownBy(() -> Contract.parse(scopes)).hasMessageContaining("api.auth");
        ObjectNode variable = (ObjectNode) file();
        ((ObjectNode) variable.path("environment").path("training_lambda")).put("data_bucket", "");
        assertThatThrownBy(() -> Contract.parse(variable))
                .hasMessageContaining("environment.training_lambda.data_bucket must be a non-empty string");
        ObjectNode empty = (ObjectNode) file();
        ((ObjectNode) empty.path("environment")).putObject("kcl_consumer").put("_comment", "only a comment");
        assertThatThrownBy(() -> Contract.parse(empty)).hasMessageContaining("environment.kcl_consumer must not be empty");
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
            else if (e.getValue().isArray()) {
                List<String> items = new ArrayList<>();
                e.getValue().forEach(i -> items.add(i.asText()));
                out.put(path + e.getKey(), String.join(",", items));
            } else out.put(path + e.getKey(), e.getValue().asText());
        });
    }
}
