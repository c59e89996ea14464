package dev.recsys.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.contract.Contract;
import dev.recsys.local.api.FunctionLog;
import dev.recsys.local.api.LocalLambdaContext;
import dev.recsys.local.stack.metrics.EmfStandIn;
import dev.recsys.training.AslTemplate;
import dev.recsys.training.ExperimentConfig;
import dev.recsys.training.FilterPlan;
import dev.recsys.training.SolutionPlan;
import dev.recsys.training.SolutionRole;
import dev.recsys.training.TrainingAwsClients;
import dev.recsys.training.TrainingConfig;
import dev.recsys.training.TaskMetrics;
import dev.recsys.training.TaskRunner;
import dev.recsys.training.TrainingHandler;
import dev.recsys.training.TrainingTasks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The offline training loop: the ASL Terraform deploys, run by aws-local-stepfunctions, its Task
 * states served by the real training handler, the Spark job in a child JVM and a notification sink.
 * {@link #runOnce} is what the {@code recsys} command calls after ingesting traffic.
 */
public final class TrainingLoop implements AutoCloseable {

    public static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:recsys-training";
    public static final String GLUE_JOB_NAME = "recsys-prepare-interactions";
    public static final String TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:recsys-training";
    public static final String IMPORT_ROLE_ARN = "arn:aws:iam::000000000000:role/recsys-personalize-import";

    /**
     * The filters {@code recsys up} deploys: a deployment's defaults (the contract's, as Terraform's: {@code
     * exclude-purchased}, bought or unavailable) and one with a request value, to show {@code filter_values}.
     */
    public static final FilterPlan DEMO_FILTERS = new FilterPlan(demoFilters());

    /** The default filter of user recommendations offline (the contract's, as on AWS). */
    public static final String DEFAULT_USER_FILTER = Contract.get().filters().defaultUserFilter();

    private static Map<String, String> demoFilters() {
        Map<String, String> f = new LinkedHashMap<>(Contract.get().filters().definitions());
        f.put("by-category", "INCLUDE ItemID WHERE Items.CATEGORY IN ($CATEGORY)");
        // A clause for some users only (the Users dataset): the free plan is shown nothing over 100.
        f.put("free-plan-budget", "EXCLUDE ItemID WHERE Items.PRICE > 100 IF CurrentUser.MEMBERSHIP IN (\"free\")");
        return f;
    }

    /** Name prefix of the Personalize resources of {@link Options#defaults}: campaigns {@code recsys-<solution>}. */
    public static final String NAME_PREFIX = "recsys";

    /**
     * @param repoRoot            the repository (glue-job build output, local/node_modules, the JS driver)
     * @param s3Endpoint          local S3; {@code bucket} must exist
     * @param personalizeEndpoint the Personalize-compatible engine
     * @param namePrefix          dataset group {@code <prefix>}, solutions and campaigns {@code <prefix>-<solution>}
     * @param solutions           what each run trains (see {@link SolutionPlan})
     * @param waitOverride        replaces every Wait state's duration (the engine's lifecycle is fast)
     * @param workDir             notifications log, Spark logs, driver files
     * @param dynamoDbEndpoint    local DynamoDB holding the {@code experiments} table; null with no experiment
     * @param experiment          the A/B experiment the decision step decides on; null for none
     * @param filters             the named filters the pipeline creates ({@link #DEMO_FILTERS} by default)
     */
    public record Options(Path repoRoot, String bucket, URI s3Endpoint, URI personalizeEndpoint, String region,
                          String accessKey, String secretKey, String namePrefix, SolutionPlan solutions, double gateTolerance,
                          int windowHours, Duration waitOverride, Duration timeout, Path workDir, URI dynamoDbEndpoint,
                          ExperimentConfig experiment, FilterPlan filters) {

        /**
         * The {@code recsys} command's settings: A/B of user personalization (a) against popularity (b, also the
         * gate's baseline), related items (SIMS), personalized ranking and Trending-Now, 2% gate tolerance, the last 30 days,
         * 1 s waits, 30 min per run, no experiment decision.
         */
        public static Options defaults(Path repoRoot, String bucket, URI s3Endpoint, URI personalizeEndpoint,
                                       String region, String accessKey, String secretKey, Path workDir) {
            return new Options(repoRoot, bucket, s3Endpoint, personalizeEndpoint, region, accessKey, secretKey, NAME_PREFIX,
                    SolutionPlan.withDefaults(List.of(
                            new SolutionPlan.Variant("a", "arn:aws:personalize:::recipe/aws-user-personalization-v2"),
                            new SolutionPlan.Variant("b", "arn:aws:personalize:::recipe/aws-popularity-count"))),
                    0.02, 24 * 30, Duration.ofSeconds(1), Duration.ofMinutes(30), workDir, null, null, DEMO_FILTERS);
        }

        /** These options with the decision step deciding on {@code experiment}, its results in {@code dynamoDbEndpoint}. */
        public Options withExperiment(URI dynamoDbEndpoint, ExperimentConfig experiment) {
            return new Options(repoRoot, bucket, s3Endpoint, personalizeEndpoint, region, accessKey, secretKey, namePrefix, solutions,
                    gateTolerance, windowHours, waitOverride, timeout, workDir, dynamoDbEndpoint, experiment, filters);
        }

        public TrainingConfig trainingConfig() {
            return new TrainingConfig(region, bucket, namePrefix, solutions, IMPORT_ROLE_ARN, gateTolerance, false, true,
                    100, 1, personalizeEndpoint, s3Endpoint, dynamoDbEndpoint, experiment).withFilters(filters);
        }
    }

    /** How a run ended, with the notifications it published. */
    public record Outcome(StateMachineRunner.Execution execution, List<NotificationSink.Notification> notifications) {
        public boolean succeeded() {
            return execution.succeeded();
        }

        /** A successful run whose quality gate refused every new model ({@code $.evaluation.promotedCount} 0): nothing changed. */
        public boolean refused() {
            return succeeded() && execution.output() != null
                    && execution.output().at("/evaluation/promotedCount").asInt(-1) == 0;
        }

        /**
         * Solution name ({@code a}, {@code b}, {@code similar}, {@code ranking}) to the ARN of its campaign, for every
         * campaign serving after a successful run: the execution output's {@code $.result.campaigns}. Empty when the
         * run did not succeed (the campaigns of earlier runs keep serving under the same names).
         */
        public Map<String, String> campaignArns() {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode campaigns = execution.output() == null ? null : execution.output().at("/result/campaigns");
            if (succeeded() && campaigns != null) campaigns.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            return Collections.unmodifiableMap(out);
        }

        /** Configured filter name to its Personalize filter ARN, from {@code $.resources.filters}. */
        public Map<String, String> filterArns() {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode filters = execution.output() == null ? null : execution.output().at("/resources/filters");
            if (filters != null) filters.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            return Collections.unmodifiableMap(out);
        }

        /**
         * Solutions the quality gate refused this run that no campaign serves (none from an earlier run either): solution
         * name to the gate's reason, from {@code $.evaluation.decisions}. Their routes answer from popular items, as on AWS.
         */
        public Map<String, String> refusedWithoutCampaign() {
            Map<String, String> out = new LinkedHashMap<>();
            JsonNode decisions = execution.output() == null ? null : execution.output().at("/evaluation/decisions");
            if (!succeeded() || decisions == null) return out;
            Map<String, String> serving = campaignArns();
            for (JsonNode d : decisions) {
                String solution = d.path("solution").asText();
                if (!d.path("promote").asBoolean() && !SolutionRole.BASELINE.label().equals(d.path("role").asText()) && !serving.containsKey(solution)) {
                    out.put(solution, d.path("reason").asText());
                }
            }
            return Collections.unmodifiableMap(out);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final PersonalizeClient personalize;
    private final S3Client s3;
    private final DynamoDbClient dynamo;
    private final NotificationSink notifications;
    private final LambdaInvokeServer lambda;
    private final StateMachineRunner runner;
    private final String definition;

    private TrainingLoop(Options options, PersonalizeClient personalize, S3Client s3, DynamoDbClient dynamo,
                         NotificationSink notifications, LambdaInvokeServer lambda) {
        this.options = options;
        this.personalize = personalize;
        this.s3 = s3;
        this.dynamo = dynamo;
        this.notifications = notifications;
        this.lambda = lambda;
        this.runner = new StateMachineRunner(options.repoRoot().resolve("local"), options.workDir().resolve("executions"));
        this.definition = AslTemplate.render(AslTemplate.pipelineTemplate(), Map.of(
                "training_function_arn", FUNCTION_ARN,
                "glue_job_name", GLUE_JOB_NAME,
                "sns_topic_arn", TOPIC_ARN,
                "data_bucket", options.bucket(),
                "window_hours", String.valueOf(options.windowHours()),
                "include_event_value", "true"));
    }

    public static TrainingLoop start(Options options) throws IOException {
        return start(options, Map.of());
    }

    /**
     * @param faults wraps the function behind a Task resource ARN: fault injection for tests (e.g. corrupt
     *               the prepared data after the real Spark job ran); everything else stays real
     */
    static TrainingLoop start(Options options, Map<String, UnaryOperator<TaskFunction>> faults) throws IOException {
        TrainingConfig config = options.trainingConfig();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(options.accessKey(), options.secretKey()));
        PersonalizeClient personalize = TrainingAwsClients.personalize(config, credentials);
        S3Client s3 = TrainingAwsClients.s3(config, credentials);
        DynamoDbClient dynamo = config.experiment() == null ? null : TrainingAwsClients.dynamoDb(config, credentials);
        TrainingTasks tasks = new TrainingTasks(config, personalize, s3, dynamo, Clock.systemUTC());
        // The function's log and EMF documents into one file, as in its log group on Lambda.
        Path functionLog = options.workDir().resolve("function-log.jsonl");
        FunctionLog.to("dev.recsys.training", functionLog);
        TrainingHandler handler = new TrainingHandler(new TaskRunner(tasks, new TaskMetrics(
                Contract.get().metrics().trainingNamespace(config.namePrefix()), EmfStandIn.provider(FunctionLog.lines(functionLog)))));
        NotificationSink sink = new NotificationSink(options.workDir().resolve("notifications.log"), Clock.systemUTC());
        LocalGlueJob glue = new LocalGlueJob(new LocalGlueJob.Options(options.repoRoot().resolve("glue-job"),
                options.s3Endpoint(), options.region(), options.accessKey(), options.secretKey(), "local[2]", "1g",
                Duration.ofMinutes(30), options.workDir().resolve("glue")));
        Map<String, TaskFunction> functions = new HashMap<>(Map.of(
                FUNCTION_ARN, input -> invoke(handler, input),
                NotificationSink.RESOURCE, sink,
                LocalGlueJob.RESOURCE, glue));
        faults.forEach((arn, wrap) -> functions.computeIfPresent(arn, (k, f) -> wrap.apply(f)));
        LambdaInvokeServer lambda = LambdaInvokeServer.start(functions);
        return new TrainingLoop(options, personalize, s3, dynamo, sink, lambda);
    }

    /**
     * One execution of the pipeline, named {@code executionName} (also the run id of {@code prepared/<name>/}).
     * As on AWS, the data window is the {@code windowHours} before the execution's start.
     */
    public Outcome runOnce(String executionName) throws IOException, InterruptedException {
        return runOnce(executionName, p -> {});
    }

    /** As {@link #runOnce(String)}, telling {@code progress} about each state as the run enters it. */
    public Outcome runOnce(String executionName, java.util.function.Consumer<StateMachineRunner.Progress> progress)
            throws IOException, InterruptedException {
        int before = notifications.published().size();
        StateMachineRunner.Execution e = runner.run(definition, JSON.createObjectNode(), executionName, lambda.endpoint(),
                options.waitOverride(), Duration.ofMillis(200), options.timeout(), progress);
        List<NotificationSink.Notification> all = notifications.published();
        return new Outcome(e, all.subList(before, all.size()));
    }

    /**
     * The pipeline's {@code decideExperiment} task on its own (what the DecideExperiment state runs after Evaluate),
     * deciding on {@code experiment}: for deciding an experiment that ran after this loop's last training run
     * without training again. Returns the task's result, as the state stores it at {@code $.experiment}.
     */
    public JsonNode decideExperiment(URI dynamoDbEndpoint, ExperimentConfig experiment) {
        TrainingConfig config = options.withExperiment(dynamoDbEndpoint, experiment).trainingConfig();
        try (DynamoDbClient d = TrainingAwsClients.dynamoDb(config, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(options.accessKey(), options.secretKey())))) {
            return new TrainingTasks(config, personalize, s3, d, Clock.systemUTC())
                    .handle(JSON.createObjectNode().put("action", "decideExperiment"));
        }
    }

    public String definition() {
        return definition;
    }

    public NotificationSink notifications() {
        return notifications;
    }

    @Override
    public void close() {
        lambda.close();
        personalize.close();
        s3.close();
        if (dynamo != null) dynamo.close();
    }

    /** Through the function's own handler, bytes in and out, with a Lambda context: as the Invoke API runs it. */
    private static JsonNode invoke(TrainingHandler handler, JsonNode input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(input)), out,
                new LocalLambdaContext("recsys-training-local", UUID.randomUUID().toString(), Duration.ofMinutes(15).toMillis()));
        return JSON.readTree(out.toByteArray());
    }
}
