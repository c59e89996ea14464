package dev.recsys.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The names modules share (object keys, table keys, metric names, default recipes), as {@code common/contract/recsys-contract.json}
 * defines them: Terraform reads the same file, so a name is changed there and nowhere else. The file ships in
 * common's jar; {@link #get()} parses it once.
 *
 * <p>The tree model, not data binding: the Glue job runs common with Spark's older Jackson, and a missing key
 * should fail naming its path. Keys the Java side does not know are ignored here (Terraform may add its own);
 * the contract test fails on them instead.
 *
 * <p>{@code S3Layout}, {@code InteractionKeys}, {@code UserProfileKeys} and {@code ExperimentKeys} take their
 * constants from here at class load, so none is a compile-time constant: none can be a {@code case} label or an
 * annotation value (none is today).
 */
public record Contract(S3 s3, Tables tables, Metrics metrics, Recipes recipes) {

    /** Where the file sits on the classpath (common's pom copies it there). */
    public static final String RESOURCE = "/dev/recsys/common/contract/recsys-contract.json";

    public record S3(String rawInteractionsPrefix, String rawExposuresPrefix, String deadLetterPrefix, String preparedPrefix,
                     String modelsPrefix, String configPrefix, String artifactsPrefix, String popularItemsKey,
                     String experimentSplitKey, String preparedManifestName) {}

    public record Tables(Interactions interactions, UserProfiles userProfiles, Exposures exposures,
                         ExperimentUsers experimentUsers, Experiments experiments) {}

    public record Interactions(String suffix, String hashKey, String rangeKey, String eventTime, String timeIndex,
                               String itemIndex, String itemIndexHashKey, String ttl) {}

    public record UserProfiles(String suffix, String hashKey) {}

    public record Exposures(String suffix, String hashKey, String rangeKey, String exposedAt, String timeIndex, String ttl) {}

    public record ExperimentUsers(String suffix, String hashKey, String rangeKey, String ttl) {}

    public record Experiments(String suffix, String hashKey, String rangeKey) {}

    /** Namespaces per deployment: {@code <deployment name>/<suffix>}, so two deployments in one account never mix. */
    public record Metrics(String apiNamespaceSuffix, String consumerNamespaceSuffix, String trainingNamespaceSuffix,
                          String experimentsNamespace, String exposureDropped, String consumerErrors) {
        public String apiNamespace(String deployment) {
            return deployment + "/" + apiNamespaceSuffix;
        }

        public String trainingNamespace(String deployment) {
            return deployment + "/" + trainingNamespaceSuffix;
        }
    }

    /** The recipes the pipeline trains when the deployment names none (Terraform's defaults too). */
    public record Recipes(String relatedItems, String ranking) {}

    public static Contract get() {
        return Holder.CONTRACT;
    }

    private static final class Holder {
        static final Contract CONTRACT = load();
    }

    static Contract load() {
        try (InputStream in = Contract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the contract " + RESOURCE + " is not on the classpath");
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the contract " + RESOURCE, e);
        }
    }

    static Contract parse(JsonNode root) {
        Node s3 = new Node(root, "").child("s3");
        Node tables = new Node(root, "").child("tables");
        Node metrics = new Node(root, "").child("metrics");
        Node recipes = new Node(root, "").child("recipes");
        Node interactions = tables.child("interactions");
        Node profiles = tables.child("user_profiles");
        Node exposures = tables.child("exposures");
        Node experimentUsers = tables.child("experiment_users");
        Node experiments = tables.child("experiments");
        return new Contract(
                new S3(s3.text("raw_interactions_prefix"), s3.text("raw_exposures_prefix"), s3.text("dead_letter_prefix"),
                        s3.text("prepared_prefix"), s3.text("models_prefix"), s3.text("config_prefix"),
                        s3.text("artifacts_prefix"), s3.text("popular_items_key"), s3.text("experiment_split_key"),
                        s3.text("prepared_manifest_name")),
                new Tables(
                        new Interactions(interactions.text("suffix"), interactions.text("hash_key"), interactions.text("range_key"),
                                interactions.text("event_time"), interactions.text("time_index"), interactions.text("item_index"),
                                interactions.text("item_index_hash_key"), interactions.text("ttl")),
                        new UserProfiles(profiles.text("suffix"), profiles.text("hash_key")),
                        new Exposures(exposures.text("suffix"), exposures.text("hash_key"), exposures.text("range_key"),
                                exposures.text("exposed_at"), exposures.text("time_index"), exposures.text("ttl")),
                        new ExperimentUsers(experimentUsers.text("suffix"), experimentUsers.text("hash_key"),
                                experimentUsers.text("range_key"), experimentUsers.text("ttl")),
                        new Experiments(experiments.text("suffix"), experiments.text("hash_key"), experiments.text("range_key"))),
                new Metrics(metrics.text("api_namespace_suffix"), metrics.text("consumer_namespace_suffix"),
                        metrics.text("training_namespace_suffix"), metrics.text("experiments_namespace"), metrics.text("exposure_dropped"), metrics.text("consumer_errors")),
                new Recipes(recipes.text("related_items"), recipes.text("ranking")));
    }

    /** An object of the file with its path, so every failure says which key. */
    private record Node(JsonNode json, String path) {

        Node child(String key) {
            JsonNode v = json.get(key);
            if (v == null || !v.isObject()) throw missing(key, "an object");
            return new Node(v, path + key + ".");
        }

        String text(String key) {
            JsonNode v = json.get(key);
            if (v == null || !v.isTextual() || v.textValue().isBlank()) throw missing(key, "a non-empty string");
            return v.textValue();
        }

        private IllegalStateException missing(String key, String what) {
            return new IllegalStateException("contract " + RESOURCE + ": " + path + key + " must be " + what);
        }
    }
}
