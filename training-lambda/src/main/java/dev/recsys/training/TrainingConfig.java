package dev.recsys.training;

import dev.recsys.common.contract.Contract;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the task handler needs, read once from the Lambda environment.
 *
 * @param namePrefix         names every Personalize resource: dataset group {@code <prefix>}, solution and
 *                           campaign {@code <prefix>-<solution>} (see {@link SolutionPlan}), event tracker
 *                           {@code <prefix>-events}
 * @param solutions          what each run trains: A/B variants, related items, ranking, popularity baseline
 * @param importRoleArn      the role Personalize assumes to read {@code prepared/} from the bucket
 * @param gateTolerance      relative drop of NDCG@10 / precision@10 a new version may show against the live one
 * @param terraformOwned     when true, dataset group, dataset, solutions and tracker exist already (created by
 *                           Terraform via CloudFormation) and are only looked up, never created
 * @param includeEventValue  the dataset schema has EVENT_VALUE; must match the Glue job's --event-value
 * @param popularItems       length of the fallback list published for the API
 * @param minProvisionedTps  campaign capacity
 * @param personalizeEndpoint / s3Endpoint / dynamoDbEndpoint: overrides for the offline stack, null on AWS
 * @param experiment         the A/B experiment the decision step decides on; null when none is configured
 * @param kmsKeyArn          the KMS key the dataset group is created with (Personalize encrypts its datasets with it);
 *                           null: Personalize's own key. Set together with {@code datasetGroupRoleArn} or not at all
 * @param datasetGroupRoleArn the role Personalize assumes to use {@code kmsKeyArn}
 * @param statusChecks       how many status checks each wait loop makes before the run fails with a timeout
 * @param filters            the named filters the dataset group must have ({@code <prefix>-<name>}), made by the pipeline
 */
public record TrainingConfig(String region, String bucket, String namePrefix, SolutionPlan solutions, String importRoleArn,
                             double gateTolerance, boolean terraformOwned, boolean includeEventValue, int popularItems,
                             int minProvisionedTps, URI personalizeEndpoint, URI s3Endpoint, URI dynamoDbEndpoint,
                             ExperimentConfig experiment, String kmsKeyArn, String datasetGroupRoleArn, StatusChecks statusChecks,
                             FilterPlan filters) {

    private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,39}");
    // CreateDatasetGroup's own patterns (Personalize API reference): kmsKeyArn at most 2048, roleArn at most 256 characters.
    static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws.*:kms:.*:[0-9]{12}:key/.*");
    static final Pattern ROLE_ARN = Pattern.compile("arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");

    // The variables read, named by the contract's environment.training_lambda (Terraform sets them by the same keys);
    // a key it does not declare fails here, when the class loads.
    private static final Contract.Variables ENV = Contract.get().environment().trainingLambda();
    private static final String AWS_REGION = ENV.name("aws_region");
    private static final String DATA_BUCKET = ENV.name("data_bucket");
    private static final String NAME_PREFIX = ENV.name("name_prefix");
    static final String VARIANTS = ENV.name("variants");
    private static final String IMPORT_ROLE_ARN = ENV.name("import_role_arn");
    private static final String RELATED_ITEMS_RECIPE = ENV.name("related_items_recipe");
    private static final String RANKING_RECIPE = ENV.name("ranking_recipe");
    private static final String TRENDING_RECIPE = ENV.name("trending_recipe");
    private static final String GATE_TOLERANCE = ENV.name("gate_tolerance");
    private static final String PERSONALIZE_RESOURCES_OWNER = ENV.name("personalize_resources_owner");
    private static final String INCLUDE_EVENT_VALUE = ENV.name("include_event_value");
    private static final String POPULAR_ITEMS = ENV.name("popular_items");
    private static final String CAMPAIGN_MIN_TPS = ENV.name("campaign_min_tps");
    private static final String PERSONALIZE_ENDPOINT = ENV.name("personalize_endpoint");
    private static final String S3_ENDPOINT = ENV.name("s3_endpoint");
    private static final String DYNAMODB_ENDPOINT = ENV.name("dynamodb_endpoint");
    private static final String KMS_KEY_ARN_VAR = ENV.name("kms_key_arn");
    private static final String DATASET_GROUP_ROLE_ARN = ENV.name("dataset_group_role_arn");
    private static final String MAX_STATUS_CHECKS = ENV.name("max_status_checks");
    private static final String FILTERS = ENV.name("filters");

    /** Without encryption settings (Personalize's own key) or filters, and with the default status-check limits. */
    public TrainingConfig(String region, String bucket, String namePrefix, SolutionPlan solutions, String importRoleArn,
                          double gateTolerance, boolean terraformOwned, boolean includeEventValue, int popularItems,
                          int minProvisionedTps, URI personalizeEndpoint, URI s3Endpoint, URI dynamoDbEndpoint,
                          ExperimentConfig experiment) {
        this(region, bucket, namePrefix, solutions, importRoleArn, gateTolerance, terraformOwned, includeEventValue, popularItems,
                minProvisionedTps, personalizeEndpoint, s3Endpoint, dynamoDbEndpoint, experiment, null, null, StatusChecks.DEFAULTS,
                FilterPlan.NONE);
    }

    public TrainingConfig {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(importRoleArn, "importRoleArn");
        if (namePrefix == null || !PREFIX.matcher(namePrefix).matches()) {
            throw new IllegalArgumentException("name prefix must match " + PREFIX + ", got '" + namePrefix + "'");
        }
        Objects.requireNonNull(solutions, "solutions");
        if (gateTolerance < 0 || gateTolerance >= 1) {
            throw new IllegalArgumentException("gate tolerance must be in [0, 1), got " + gateTolerance);
        }
        if (popularItems < 1 || minProvisionedTps < 1) {
            throw new IllegalArgumentException("popularItems and minProvisionedTps must be >= 1");
        }
        Objects.requireNonNull(statusChecks, "statusChecks");
        Objects.requireNonNull(filters, "filters");
        // Personalize takes a key only with a role that may use it, and a role only with a key.
        if ((kmsKeyArn == null) != (datasetGroupRoleArn == null)) {
            throw new IllegalArgumentException("the dataset group's KMS key and the role Personalize uses it with are set together"
                    + " or not at all: got key " + kmsKeyArn + " and role " + datasetGroupRoleArn);
        }
        if (kmsKeyArn != null && (kmsKeyArn.length() > 2048 || !KMS_KEY_ARN.matcher(kmsKeyArn).matches())) {
            throw new IllegalArgumentException("KMS key ARN must look like arn:aws:kms:<region>:<account>:key/<id>, got '" + kmsKeyArn + "'");
        }
        if (datasetGroupRoleArn != null && (datasetGroupRoleArn.length() > 256 || !ROLE_ARN.matcher(datasetGroupRoleArn).matches())) {
            throw new IllegalArgumentException("dataset group role ARN must look like arn:aws:iam::<account>:role/<name>, got '"
                    + datasetGroupRoleArn + "'");
        }
    }

    public String datasetGroupName() {
        return namePrefix;
    }

    /**
     * Schemas cannot change, so the name says which fields it has ({@code -v}: EVENT_VALUE, {@code -imp}: IMPRESSION
     * and RECOMMENDATION_ID): a different field set is a new schema, never an old one found by name.
     */
    public String schemaName() {
        return namePrefix + "-interactions" + (includeEventValue ? "-v" : "") + "-imp";
    }

    public String datasetName() {
        return namePrefix + "-interactions";
    }

    /** The Items schema ({@code ItemsDataset}); a change of its fields is a new version, never an old schema found by name. */
    public String itemsSchemaName() {
        return namePrefix + "-items-v1";
    }

    public String itemsDatasetName() {
        return namePrefix + "-items";
    }

    /** The Users schema ({@code UsersDataset}), versioned like the Items schema. */
    public String usersSchemaName() {
        return namePrefix + "-users-v1";
    }

    public String usersDatasetName() {
        return namePrefix + "-users";
    }

    public String eventTrackerName() {
        return namePrefix + "-events";
    }

    public String solutionName(String solution) {
        return namePrefix + "-" + solution;
    }

    public String campaignName(String solution) {
        return namePrefix + "-" + solution;
    }

    /** The Personalize filter a configured filter name is created as (the API's IAM grant covers {@code filter/<prefix>-*}). */
    public String filterName(String filter) {
        return namePrefix + "-" + filter;
    }

    /** The same configuration with these filters (the offline runner's way to set them). */
    public TrainingConfig withFilters(FilterPlan plan) {
        return new TrainingConfig(region, bucket, namePrefix, solutions, importRoleArn, gateTolerance, terraformOwned, includeEventValue,
                popularItems, minProvisionedTps, personalizeEndpoint, s3Endpoint, dynamoDbEndpoint, experiment, kmsKeyArn,
                datasetGroupRoleArn, statusChecks, plan);
    }

    /**
     * Environment: {@code AWS_REGION}, {@code DATA_BUCKET}, {@code NAME_PREFIX}, {@code VARIANTS}
     * ({@code a=<recipe arn>,b=<recipe arn>}), {@code IMPORT_ROLE_ARN}, optional {@code RELATED_ITEMS_RECIPE}
     * ({@value SolutionPlan#DEFAULT_RELATED_ITEMS_RECIPE}) and {@code RANKING_RECIPE}
     * ({@value SolutionPlan#DEFAULT_RANKING_RECIPE}) and {@code TRENDING_RECIPE} ({@value SolutionPlan#DEFAULT_TRENDING_RECIPE}),
     * where an empty value trains no such solution, {@code GATE_TOLERANCE}
     * (0.02), {@code PERSONALIZE_RESOURCES_OWNER} ({@code pipeline}|{@code terraform}), {@code INCLUDE_EVENT_VALUE}
     * (true), {@code POPULAR_ITEMS} (100), {@code CAMPAIGN_MIN_TPS} (1), {@code PERSONALIZE_ENDPOINT},
     * {@code S3_ENDPOINT}, {@code DYNAMODB_ENDPOINT}, {@code KMS_KEY_ARN} with {@code DATASET_GROUP_ROLE_ARN} (both or
     * neither), {@code MAX_STATUS_CHECKS} ({@link StatusChecks#parse}), {@code FILTERS} ({@link FilterPlan#parse}), and the experiment's (see
     * {@link ExperimentConfig#fromEnv}): the contract's {@code environment.training_lambda} names.
     */
    public static TrainingConfig fromEnv(Map<String, String> env) {
        String owner = env.getOrDefault(PERSONALIZE_RESOURCES_OWNER, "pipeline");
        if (!owner.equals("pipeline") && !owner.equals("terraform")) {
            throw new IllegalArgumentException(PERSONALIZE_RESOURCES_OWNER + " must be pipeline or terraform, got '" + owner + "'");
        }
        SolutionPlan plan = new SolutionPlan(SolutionPlan.parseVariants(required(env, VARIANTS)),
                recipe(env, RELATED_ITEMS_RECIPE, SolutionPlan.DEFAULT_RELATED_ITEMS_RECIPE),
                recipe(env, RANKING_RECIPE, SolutionPlan.DEFAULT_RANKING_RECIPE),
                recipe(env, TRENDING_RECIPE, SolutionPlan.DEFAULT_TRENDING_RECIPE));
        return new TrainingConfig(
                required(env, AWS_REGION),
                required(env, DATA_BUCKET),
                env.getOrDefault(NAME_PREFIX, "recsys"),
                plan,
                required(env, IMPORT_ROLE_ARN),
                number(env, GATE_TOLERANCE, 0.02),
                owner.equals("terraform"),
                Boolean.parseBoolean(env.getOrDefault(INCLUDE_EVENT_VALUE, "true")),
                (int) number(env, POPULAR_ITEMS, 100),
                (int) number(env, CAMPAIGN_MIN_TPS, 1),
                uri(env.get(PERSONALIZE_ENDPOINT)),
                uri(env.get(S3_ENDPOINT)),
                uri(env.get(DYNAMODB_ENDPOINT)),
                ExperimentConfig.fromEnv(env, plan.variants()),
                optional(env, KMS_KEY_ARN_VAR),
                optional(env, DATASET_GROUP_ROLE_ARN),
                statusChecks(env),
                filters(env));
    }

    private static FilterPlan filters(Map<String, String> env) {
        try {
            return FilterPlan.parse(env.get(FILTERS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FILTERS + ": " + e.getMessage(), e);
        }
    }

    /** Absent: the default; empty: none (that solution is not trained). */
    private static String recipe(Map<String, String> env, String name, String defaultArn) {
        if (!env.containsKey(name)) return defaultArn;
        String v = env.get(name).trim();
        if (v.isEmpty()) return null;
        SolutionPlan.requireRecipe(name, v);
        return v;
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("environment variable " + name + " is required");
        return v.trim();
    }

    private static StatusChecks statusChecks(Map<String, String> env) {
        try {
            return StatusChecks.parse(env.get(MAX_STATUS_CHECKS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MAX_STATUS_CHECKS + ": " + e.getMessage(), e);
        }
    }

    /** Absent or blank: null. */
    private static String optional(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static double number(Map<String, String> env, String name, double defaultValue) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return defaultValue;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    private static URI uri(String v) {
        return v == null || v.isBlank() ? null : URI.create(v.trim());
    }
}
