package dev.recsys.common.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The names modules share (object keys, table keys, metric names, default recipes, API routes, the environment
 * variables each component reads), as {@code common/contract/recsys-contract.json}
 * defines them: Terraform reads the same file, so a name is changed there and nowhere else. The file ships in
 * common's jar; {@link #get()} parses it once.
 *
 * <p>The tree model, not data binding: the Glue job runs common with Spark's older Jackson, and a missing key
 * should fail naming its path. Keys the Java side does not know are ignored here (Terraform may add its own);
 * the contract test fails on them instead.
 *
 * <p>{@code S3Layout}, {@code InteractionKeys}, {@code UserProfileKeys}, {@code ExperimentKeys} and {@code ItemKeys} take their
 * constants from here at class load, so none is a compile-time constant: none can be a {@code case} label or an
 * annotation value (none is today). The same holds for {@code Exposure}'s route constants and {@code Route}'s
 * templates.
 *
 * <p>Why one class of this size: its records mirror the file's sections one to one, and its parser reads them in one
 * place, so a key added to the file is added here once.
 */
public record Contract(S3 s3, Tables tables, Metrics metrics, Recipes recipes, Api api, Experiment experiment,
                       Filters filters, Redis redis, Environment environment) {

    /** Where the file sits on the classpath (common's pom copies it there). */
    public static final String RESOURCE = "/dev/recsys/common/contract/recsys-contract.json";

    public record S3(String rawInteractionsPrefix, String rawExposuresPrefix, String rawItemsPrefix, String catalogImportPrefix,
                     String rawUsersPrefix, String usersImportPrefix, String deadLetterPrefix, String preparedPrefix,
                     String modelsPrefix, String configPrefix, String artifactsPrefix, String popularItemsKey,
                     String experimentSplitKey, String preparedManifestName) {}

    public record Tables(Interactions interactions, UserProfiles userProfiles, Exposures exposures,
                         ExperimentUsers experimentUsers, Experiments experiments, Items items, Users users) {}

    public record Interactions(String suffix, String hashKey, String rangeKey, String eventTime, String timeIndex,
                               String itemIndex, String itemIndexHashKey, String ttl) {}

    public record UserProfiles(String suffix, String hashKey) {}

    public record Exposures(String suffix, String hashKey, String rangeKey, String exposedAt, String timeIndex, String ttl) {}

    public record ExperimentUsers(String suffix, String hashKey, String rangeKey, String ttl) {}

    public record Experiments(String suffix, String hashKey, String rangeKey) {}

    /** The catalog (kcl-consumer writes it from item records); its other attribute names are {@code ItemKeys}'. */
    public record Items(String suffix, String hashKey) {}

    /** User metadata (kcl-consumer writes it from user records); its other attribute names are {@code UserKeys}'. */
    public record Users(String suffix, String hashKey) {}

    /** What the training function emits per finished task (training-lambda TaskMetrics), by {@code actionDimension}. */
    public record TrainingTasks(String actionDimension, String duration, String errors) {}

    /**
     * Namespaces per deployment: {@code <deployment name>/<suffix>}, so two deployments in one account never mix.
     * {@code exposureDropped} is emitted per {@code apiRouteDimension} (the API's by-route document).
     */
    public record Metrics(String apiNamespaceSuffix, String consumerNamespaceSuffix, String trainingNamespaceSuffix,
                          String experimentsNamespace, String exposureDropped, String apiRouteDimension, String consumerErrors,
                          ConsumerLag consumerLag, TrainingTasks trainingTasks, ExperimentResults experimentResults) {
        public String apiNamespace(String deployment) {
            return deployment + "/" + apiNamespaceSuffix;
        }

        public String trainingNamespace(String deployment) {
            return deployment + "/" + trainingNamespaceSuffix;
        }
    }

    /**
     * What the consumer emits per worker and interval (kcl-consumer LagMetrics): the maximum MillisBehindLatest over
     * its shards, in the fixed {@code namespace}, by {@code streamDimension} = the stream name. Autoscaling and the lag alarm use it.
     */
    public record ConsumerLag(String namespace, String metric, String streamDimension) {}

    /** What the consumer emits per arm of an experiment (in {@code experimentsNamespace}); the dashboard charts each. */
    public record ExperimentResults(ResultDimensions dimensions, ResultCounts counts, ResultRatios ratios) {}

    public record ResultDimensions(String experiment, String route, String variant) {}

    /** Unit Count. */
    public record ResultCounts(String users, String exposures, String clicks, String conversions) {}

    /** Unit None. */
    public record ResultRatios(String ctr, String conversionRate, String ctrPValue, String ctrLift, String winner) {}

    /** The recipes the pipeline trains when the deployment names none (Terraform's defaults too). */
    public record Recipes(String relatedItems, String ranking, String trending) {}

    /** The API's routes by key (api-lambda's {@code Route} constant of the same name, lower case). */
    public record Api(Map<String, ApiRoute> routes, Auth auth) {
        public Api {
            routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        }

        public ApiRoute route(String key) {
            ApiRoute r = routes.get(key);
            if (r == null) throw new IllegalStateException("contract " + RESOURCE + ": api.routes declares no route " + key);
            return r;
        }

        /** The templates of the routes whose answers are exposures. */
        public Set<String> exposureTemplates() {
            return routes.values().stream().filter(ApiRoute::exposure).map(ApiRoute::template)
                    .collect(Collectors.toUnmodifiableSet());
        }
    }

    /**
     * @param template OpenAPI style, {@code /users/{userId}/recommendations}: the metric dimension and the gateway path
     * @param auth     who may call it: the gateway's authorizer and the handler both enforce it
     */
    public record ApiRoute(String method, String template, boolean exposure, Caller auth) {}

    /** Who may call a route. */
    public enum Caller {
        /** An end-user token, answered only for the user it names; or a machine token with the any-user scope. */
        USER,
        /** A machine token with the any-user scope only. */
        MACHINE,
        /** No token (health probes). */
        NONE;

        static Caller parse(String value, String path) {
            for (Caller c : values()) {
                if (c.name().toLowerCase(java.util.Locale.ROOT).equals(value)) return c;
            }
            throw new IllegalStateException("contract " + RESOURCE + ": " + path + " must be user, machine or none, not " + value);
        }
    }

    /**
     * The OAuth resource server whose scopes the gateway's authorizer checks (Cognito on AWS, the local issuer offline).
     * Scope strings are {@code <resourceServer>/<scope>}.
     */
    public record Auth(String resourceServer, String userScope, String anyUserScope, Map<Caller, List<String>> routeScopeKeys,
                       String defaultUserClaim) {
        public Auth {
            routeScopeKeys = Collections.unmodifiableMap(new java.util.EnumMap<>(routeScopeKeys));
            if (!routeScopeKeys.keySet().equals(java.util.EnumSet.of(Caller.USER, Caller.MACHINE))) {
                throw new IllegalStateException("contract " + RESOURCE + ": api.auth.route_scopes must name user and machine, and only those");
            }
            routeScopeKeys.values().forEach(keys -> {
                if (keys.isEmpty() || !List.of("user_scope", "any_user_scope").containsAll(keys)) {
                    throw new IllegalStateException("contract " + RESOURCE + ": api.auth.route_scopes lists user_scope / any_user_scope, not " + keys);
                }
            });
        }

        /** The scopes (full names) any one of which admits a token to a route of this auth value; none for {@code NONE}. */
        public List<String> scopesFor(Caller caller) {
            return routeScopeKeys.getOrDefault(caller, List.of()).stream()
                    .map(k -> k.equals("user_scope") ? userScopeName() : anyUserScopeName()).toList();
        }

        /** The scope an end user's token carries to read their own recommendations. */
        public String userScopeName() {
            return resourceServer + "/" + userScope;
        }

        /** The scope a machine caller's token carries to ask for any user. */
        public String anyUserScopeName() {
            return resourceServer + "/" + anyUserScope;
        }
    }

    /**
     * The experiment a deployment runs when it names none.
     *
     * @param defaultRoute the key of the {@code api.routes} entry whose arms are decided on (an exposure route)
     */
    public record Experiment(String defaultId, String defaultRoute) {}

    /**
     * The filters a deployment gets when it names none.
     *
     * @param definitions       name → expression in Personalize's filter language, in file order
     * @param defaultUserFilter the one of them user recommendations apply when the request names none
     */
    public record Filters(Map<String, String> definitions, String defaultUserFilter) {
        public Filters {
            definitions = Collections.unmodifiableMap(new LinkedHashMap<>(definitions));
            if (!definitions.containsKey(defaultUserFilter)) {
                throw new IllegalStateException("contract " + RESOURCE + ": filters.default_user_filter must name one of filters.definitions");
            }
        }
    }

    /**
     * The cache's users: each component connects as its own user with an IAM token (no password exists), limited
     * by its access string on AWS and offline alike.
     *
     * @param users by component key ({@code api}, {@code consumer})
     */
    public record Redis(IamToken iamToken, Map<String, RedisUser> users) {

        public RedisUser user(String component) {
            RedisUser u = users.get(component);
            if (u == null) throw new IllegalArgumentException("contract " + RESOURCE + ": redis.users has no " + component);
            return u;
        }
    }

    /** How an IAM authentication token is signed: for which service, valid how long. */
    public record IamToken(String service, java.time.Duration lifetime) {}

    /** One cache user: its id and name is {@code <deployment name>-<nameSuffix>}; {@code accessString} is its Redis ACL. */
    public record RedisUser(String nameSuffix, String accessString) {

        public String userName(String deployment) {
            return deployment + "-" + nameSuffix;
        }
    }

    /**
     * Per component, the environment variables it reads; {@code lambdaLibraries}: the ones a library reads in both
     * functions (Powertools), which the functions' module sets.
     */
    public record Environment(Variables apiLambda, Variables trainingLambda, Variables kclConsumer, Variables lambdaLibraries) {}

    /**
     * A component's environment variables: a key (what the value is for) to the variable's name. Code reads a
     * variable by its key, so a rename in the file reaches it, and a key the file does not declare fails at once:
     * a variable cannot be read on one side only.
     */
    public record Variables(String component, Map<String, String> names) {
        public Variables {
            names = Collections.unmodifiableMap(new LinkedHashMap<>(names));
        }

        /** The name of the variable declared under {@code key}; a key not declared fails, naming the file. */
        public String name(String key) {
            String name = names.get(key);
            if (name == null) {
                throw new IllegalStateException("contract " + RESOURCE + ": environment." + component + " declares no variable '"
                        + key + "'; declare it there (Terraform sets what is declared) before reading it");
            }
            return name;
        }

        /** The value of the variable declared under {@code key} in {@code env}, as given (null when unset). */
        public String value(Map<String, String> env, String key) {
            return env.get(name(key));
        }

        /** Every variable name declared. */
        public Collection<String> all() {
            return names.values();
        }
    }

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

    static Contract parse(JsonNode json) {
        Node root = new Node(json, "");
        Node s3 = root.child("s3");
        Node tables = root.child("tables");
        Node metrics = root.child("metrics");
        Node recipes = root.child("recipes");
        Node results = metrics.child("experiment_results");
        Node dims = results.child("dimensions");
        Node counts = results.child("counts");
        Node ratios = results.child("ratios");
        Node environment = root.child("environment");
        Node interactions = tables.child("interactions");
        Node profiles = tables.child("user_profiles");
        Node exposures = tables.child("exposures");
        Node experimentUsers = tables.child("experiment_users");
        Node experiments = tables.child("experiments");
        Node items = tables.child("items");
        Node users = tables.child("users");
        return new Contract(
                new S3(s3.text("raw_interactions_prefix"), s3.text("raw_exposures_prefix"), s3.text("raw_items_prefix"), s3.text("catalog_import_prefix"),
                        s3.text("raw_users_prefix"), s3.text("users_import_prefix"), s3.text("dead_letter_prefix"),
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
                        new Experiments(experiments.text("suffix"), experiments.text("hash_key"), experiments.text("range_key")),
                        new Items(items.text("suffix"), items.text("hash_key")),
                        new Users(users.text("suffix"), users.text("hash_key"))),
                new Metrics(metrics.text("api_namespace_suffix"), metrics.text("consumer_namespace_suffix"),
                        metrics.text("training_namespace_suffix"), metrics.text("experiments_namespace"), metrics.text("exposure_dropped"),
                        metrics.text("api_route_dimension"), metrics.text("consumer_errors"),
                        new ConsumerLag(metrics.child("consumer_lag").text("namespace"), metrics.child("consumer_lag").text("metric"),
                                metrics.child("consumer_lag").text("stream_dimension")),
                        new TrainingTasks(metrics.child("training_tasks").text("action_dimension"),
                                metrics.child("training_tasks").text("duration"), metrics.child("training_tasks").text("errors")),
                        new ExperimentResults(new ResultDimensions(dims.text("experiment"), dims.text("route"), dims.text("variant")),
                                new ResultCounts(counts.text("users"), counts.text("exposures"), counts.text("clicks"), counts.text("conversions")),
                                new ResultRatios(ratios.text("ctr"), ratios.text("conversion_rate"), ratios.text("ctr_p_value"),
                                        ratios.text("ctr_lift"), ratios.text("winner")))),
                new Recipes(recipes.text("related_items"), recipes.text("ranking"), recipes.text("trending")),
                new Api(root.child("api").child("routes").children(
                        r -> new ApiRoute(r.text("method"), r.text("template"), r.bool("exposure"),
                                Caller.parse(r.text("auth"), r.path() + "auth"))),
                        auth(root.child("api").child("auth"))),
                new Experiment(root.child("experiment").text("default_id"), root.child("experiment").text("default_route")),
                new Filters(root.child("filters").child("definitions").texts(), root.child("filters").text("default_user_filter")),
                new Redis(new IamToken(root.child("redis").child("iam_token").text("service"),
                        java.time.Duration.ofSeconds(root.child("redis").child("iam_token").positive("lifetime_seconds"))),
                        root.child("redis").child("users").children(u -> new RedisUser(u.text("name_suffix"), u.text("access_string")))),
                new Environment(variables(environment, "api_lambda"), variables(environment, "training_lambda"),
                        variables(environment, "kcl_consumer"), variables(environment, "lambda_libraries")));
    }

    private static Auth auth(Node a) {
        Map<Caller, List<String>> scopes = new LinkedHashMap<>();
        a.child("route_scopes").keysOf().forEach(k -> scopes.put(Caller.parse(k, a.path() + "route_scopes."), a.child("route_scopes").textList(k)));
        return new Auth(a.text("resource_server"), a.text("user_scope"), a.text("any_user_scope"), scopes, a.text("default_user_claim"));
    }

    private static Variables variables(Node environment, String component) {
        return new Variables(component, environment.child(component).texts());
    }

    /** An object of the file with its path, so every failure says which key. */
    private record Node(JsonNode json, String path) {

        Node child(String key) {
            JsonNode v = json.get(key);
            if (v == null || !v.isObject()) throw missing(key, "an object");
            return new Node(v, path + key + ".");
        }

        /** Every field but the comments ({@code _...}), each an object, parsed, in file order; an empty object fails. */
        <T> Map<String, T> children(Function<Node, T> parse) {
            Map<String, T> out = new LinkedHashMap<>();
            for (String key : keys()) out.put(key, parse.apply(child(key)));
            return out;
        }

        /** Every field but the comments, each a non-empty string, in file order; an empty object fails. */
        Map<String, String> texts() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String key : keys()) out.put(key, text(key));
            return out;
        }

        /** A non-empty array of non-empty strings. */
        List<String> textList(String key) {
            JsonNode v = json.get(key);
            if (v == null || !v.isArray() || v.isEmpty()) throw missing(key, "a non-empty array of strings");
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual() || e.textValue().isBlank()) throw missing(key, "a non-empty array of strings");
                out.add(e.textValue());
            }
            return List.copyOf(out);
        }

        /** The field names but the comments, in file order; an empty object fails. */
        List<String> keysOf() {
            return keys();
        }

        long positive(String key) {
            JsonNode v = json.get(key);
            if (v == null || !v.canConvertToLong() || v.longValue() <= 0) throw missing(key, "a positive whole number");
            return v.longValue();
        }

        boolean bool(String key) {
            JsonNode v = json.get(key);
            if (v == null || !v.isBoolean()) throw missing(key, "true or false");
            return v.booleanValue();
        }

        private List<String> keys() {
            List<String> keys = new ArrayList<>();
            json.fieldNames().forEachRemaining(k -> {
                if (!k.startsWith("_")) keys.add(k);
            });
            if (keys.isEmpty()) {
                throw new IllegalStateException("contract " + RESOURCE + ": " + path.substring(0, path.length() - 1) + " must not be empty");
            }
            return keys;
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
