package dev.recsys.local;

import dev.recsys.common.keys.UserProfileKeys;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.ingest.ConsumerProcess.Deployment;
import dev.recsys.local.ingest.ConsumerProcess;
import dev.recsys.local.ingest.DemoTraffic;
import dev.recsys.local.serving.LocalRecommendationApi;
import dev.recsys.local.serving.RoutesCheck;
import dev.recsys.local.serving.ServingWalkthrough;
import dev.recsys.local.simulation.OnlineExperiment;
import dev.recsys.local.simulation.Promotion;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.StackOptions;
import dev.recsys.local.stack.process.Ports;
import dev.recsys.local.training.TrainingLoop;
import dev.recsys.personalize.engine.PersonalizeEngine;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.Producers;
import dev.recsys.training.ExperimentConfig;
import dev.recsys.training.ExperimentDecision;
import dev.recsys.training.SolutionRole;
import dev.recsys.local.training.TrainingProgress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code recsys up}: the whole system on one machine, in the order data flows. Emulators stand in
 * for AWS; the kcl-consumer runs as its own JVM configured like an ECS task; traffic goes through
 * the KPL; the training pipeline runs the deployed state machine definition; the API serves the
 * trained campaigns through the Lambda handler. Everything started here is stopped on exit or Ctrl-C.
 *
 * <p>Why one class of this size: {@link #run} is the walkthrough itself, read top to bottom in the order data flows,
 * with the ordered stop that undoes it; each step lives in its package ({@code DemoTraffic}, {@code TrainingLoop},
 * {@code RoutesCheck}, {@code ServingWalkthrough}, {@code OnlineExperiment}), and what is left here is their wiring.
 */
public final class LocalSystem {

    private static final String CAMPAIGN_ARN = "arn:aws:personalize:us-east-1:000000000000:campaign/";
    private static final int FRESHNESS_PROBE_USERS = 20;
    private static final int SIMULATED_USERS = 400;
    private static final int SIMULATED_ROUNDS = 2;
    static final String AB_EXPERIMENT = "recs-ab-1";
    static final String SIM_AB_EXPERIMENT = "sim-ab";
    static final String SIM_AA_EXPERIMENT = "sim-aa";

    private final UpOptions options;
    private final PrintStream out;
    private final Deployment deployment = Deployment.standard();
    private final CountDownLatch stopped = new CountDownLatch(1);

    public LocalSystem(UpOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public int run() throws Exception {
        Files.createDirectories(options.workDir().resolve("logs"));
        // The emulators start empty every run, so the engine and pipeline state must too: a model
        // left from an earlier run would otherwise count as "live" in the quality gate.
        for (String stale : List.of("personalize", "training")) deleteRecursively(options.workDir().resolve(stale));
        long started = System.nanoTime();
        out.println("recsys up: starting the offline stack (Kinesis, DynamoDB, S3, Redis stand-ins) ...");
        LocalStack stack = LocalStack.start(StackOptions.all());
        PersonalizeEngine engine = null;
        ConsumerProcess consumer = null;
        TrainingLoop training = null;
        LocalRecommendationApi api = null;
        stack.closeOnExitByOwner();
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> stopOnCtrlC(main), "recsys-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Endpoints e = stack.endpoints();
            out.printf("  stack ready in %.1f s: kinesis %s, dynamodb %s, s3 %s, redis %s%n",
                    stack.startupTime().toMillis() / 1000.0, e.kinesis(), e.dynamodb(), e.s3(), e.redisUri());
            stack.createStream(deployment.stream(), options.shards());
            out.printf("  stream %s with %d shards%n", deployment.stream(), options.shards());

            engine = PersonalizeEngine.start(EngineConfig.local(options.workDir().resolve("personalize"), e.s3(), e.accessKey(),
                    e.secretKey(), deployment.bucket()));
            out.printf("  Personalize-compatible engine %s (control plane, runtime and events APIs)%n", engine.endpoint());

            consumer = startConsumer(e, "local-worker-1", Map.of());
            DemoTraffic traffic = new DemoTraffic(stack, deployment, out, () -> stopped.getCount() == 0);
            traffic.streamCatalog(options.seed());
            long produced = traffic.streamTraffic(consumer, options.seed(), options.events(), options.rate());
            traffic.printWhereDataLanded(consumer, produced, options.shards());

            out.println("Training: Step Functions definition (the file Terraform deploys) on aws-local-stepfunctions;");
            out.println("  PrepareData = the Glue Spark job in local mode; Personalize calls go to the local engine ...");
            training = TrainingLoop.start(TrainingLoop.Options.defaults(repoRoot(), deployment.bucket(), e.s3(), engine.endpoint(),
                    e.region(), e.accessKey(), e.secretKey(), options.workDir().resolve("training")));
            long t0 = System.nanoTime();
            TrainingLoop.Outcome outcome = training.runOnce("recsys-up-" + System.currentTimeMillis(),
                    new TrainingProgress(training.definition(), out, System::currentTimeMillis));
            out.printf("  execution %s in %.0f s: %s%n", outcome.execution().status(), (System.nanoTime() - t0) / 1e9,
                    compact(outcome.execution().states()));
            outcome.notifications().forEach(n -> out.printf("  SNS %s%n    %s%n", n.subject(), n.message().replace("\n", "\n    ")));
            if (!outcome.succeeded()) {
                out.printf("  training failed: %s: %s%n", outcome.execution().error(), outcome.execution().cause());
                return 1;
            }
            if (outcome.refused()) {
                // A healthy run on AWS; here nothing was ever deployed, so there is no model to walk through.
                out.printf("  the quality gate refused every new model (see the SNS message above): no model to serve; more events train"
                        + " a better one (--events %d is the default)%n", UpOptions.DEFAULT_EVENTS);
                return 1;
            }

            // Redeploy the consumer with the event tracker the pipeline created: real-time events from now on.
            String trackingId = outcome.execution().output().at("/resources/trackingId").asText();
            consumer.close();
            long redeployed = System.nanoTime();
            consumer = startConsumer(e, "local-worker-2", Map.of("PERSONALIZE_EVENTS_ENDPOINT", engine.endpoint().toString(),
                    "PERSONALIZE_TRACKING_ID", trackingId,
                    "PERSONALIZE_ITEMS_DATASET_ARN", outcome.execution().output().at("/resources/itemsDatasetArn").asText(),
                    "PERSONALIZE_USERS_DATASET_ARN", outcome.execution().output().at("/resources/usersDatasetArn").asText()));
            // (the consumer's experiment settings for this demo's scale are in ConsumerProcess.environment)

            Map<String, String> campaigns = outcome.campaignArns();
            SyntheticWorkload truth = new SyntheticWorkload(SyntheticWorkload.Config.reference(options.seed(), 0, 0));
            LocalRecommendationApi.Settings served = new LocalRecommendationApi.Settings(AB_EXPERIMENT,
                    inOrder("a", CAMPAIGN_ARN + "recsys-a", "b", CAMPAIGN_ARN + "recsys-b"), campaigns.get("similar"),
                    campaigns.get("ranking"), deployment,
                    List.of("item-000000", "item-000001", "item-000002", "item-000003", "item-000004"),
                    options.workDir().resolve("logs/api-emf.jsonl"), servedFilters(outcome.filterArns()), TrainingLoop.DEFAULT_USER_FILTER,
                    campaigns.get(SolutionRole.TRENDING.fixedName()), RoutesCheck.demoPromotions(truth));
            api = LocalRecommendationApi.start(e, engine.endpoint(), served);
            out.printf("%nRecommendation API (the Lambda handler behind a local API Gateway) at %s%n", api.uri());
            out.println("  every recommendation route, asked as a client would:");
            RoutesCheck.Result checked = new RoutesCheck(api.uri(), api.callerHeaders(), truth, outcome.refusedWithoutCampaign(), out)
                    .run(SyntheticWorkload.userId(1));
            boolean routes = checked.ok();
            if (!routes) {
                out.println("  checked: FAILED: a route did not answer from a model");
            } else if (checked.refusedRoutes().isEmpty()) {
                out.println("  checked: all five routes answered from models");
            } else {
                out.printf("  checked: %d of five routes answered from models; %s answered from popular items because the"
                                + " quality gate refused the model (more events train a better one: --events %d is the default)%n",
                        5 - checked.refusedRoutes().size(), String.join(" and ", checked.refusedRoutes()), UpOptions.DEFAULT_EVENTS);
            }
            ServingWalkthrough walkthrough = new ServingWalkthrough(api, stack, deployment, engine, trackingId, out);
            boolean fresh = walkthrough.run(SyntheticWorkload.userId(1));
            ServingWalkthrough.Probe probe = walkthrough.probe(usersWithHistory(stack, FRESHNESS_PROBE_USERS, SyntheticWorkload.userId(1)));
            out.printf("  freshness right after the redeploy: %d/%d purchases gave a fresh answer without the item, all within %.0f s"
                            + " of it; PutRecord->stored p50 %d ms, p99 %d ms; ->cache invalidated p50 %d ms, p99 %d ms%n",
                    probe.fresh(), probe.purchases(), (System.nanoTime() - redeployed) / 1e9, probe.storedP50(), probe.storedP99(),
                    probe.invalidatedP50(), probe.invalidatedP99());
            probe.failures().forEach(f -> out.printf("  FAILED freshness: %s%n", f));
            boolean tokens = api.printCurlExamples(out, SyntheticWorkload.userId(1), SyntheticWorkload.itemId(3));
            out.printf("recsys up: walkthrough complete in %.0f s%n", (System.nanoTime() - started) / 1e9);
            if (!routes || !fresh || !probe.allFresh() || !tokens) {
                out.println("recsys up: the loop did not close as checked above");
                return 1;
            }

            List<String> simulated = usersWithHistory(stack, 2 * SIMULATED_USERS, SyntheticWorkload.userId(1)).stream()
                    .skip(FRESHNESS_PROBE_USERS).toList();
            boolean experimentsHold = experiments(consumer, stack, training, engine.endpoint(), served, truth,
                    simulated.subList(0, simulated.size() / 2), simulated.subList(simulated.size() / 2, simulated.size()));
            out.printf("recsys up: done in %.0f s%n", (System.nanoTime() - started) / 1e9);
            if (!experimentsHold) {
                out.println("recsys up: the online experiments did not come out as checked above");
                return 1;
            }

            if (!options.exitWhenDone()) {
                out.println("Everything keeps running; press Ctrl-C to stop and clean up.");
                waitingForCtrlC = true;
                stopped.await();
            }
            return 0;
        } catch (InterruptedException ctrlC) {
            out.println("recsys up: interrupted (Ctrl-C)");
            return 130;
        } finally {
            Thread.interrupted(); // an interrupt that arrived outside a wait must not cut the clean-up short
            out.println("recsys up: stopping (consumer flushes and checkpoints first) ...");
            if (api != null) api.close();
            if (consumer != null) consumer.close();
            if (training != null) training.close();
            if (engine != null) engine.close();
            stack.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Ctrl-C path: the JVM is exiting anyway
            }
            out.println("recsys up: stopped");
        }
    }

    /** True once the main thread's work is done and it only waits for Ctrl-C (then it must not be interrupted). */
    private volatile boolean waitingForCtrlC;

    /** Whether Ctrl-C stopped the run (the JVM is exiting then: the caller must not call System.exit). */
    public boolean stoppedByCtrlC() {
        return stopped.getCount() == 0;
    }

    /**
     * Ctrl-C: the main thread stops what it is doing (interrupted, unless it only waits for this) and runs its
     * clean-up (consumer flush, then the rest); any child process still alive after that (a Spark job, the state
     * machine driver, a consumer that would not stop) is killed, so nothing started here outlives the command.
     */
    private void stopOnCtrlC(Thread main) {
        stopped.countDown();
        if (!waitingForCtrlC) main.interrupt();
        try {
            main.join(Duration.ofSeconds(90).toMillis());
            List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            left.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (left.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) Thread.sleep(100);
            left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            if (!left.isEmpty()) System.err.printf("recsys up: killed %d process(es) the clean-up left: %s%n", left.size(),
                    left.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ConsumerProcess startConsumer(Endpoints e, String workerId, Map<String, String> extra) throws Exception {
        int adminPort = Ports.freePort();
        ConsumerProcess consumer = ConsumerProcess.start(ConsumerProcess.environment(e, deployment, workerId, Ports.freePort(), adminPort, extra),
                options.workDir().resolve("logs/" + workerId + ".log"), "1g");
        out.printf("  kcl-consumer %s pid %d: admin http://127.0.0.1:%d/healthcheck, log %s%n", workerId, consumer.pid(), adminPort,
                consumer.log());
        waitForHealth(consumer);
        return consumer;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** The repository: glue-job's build output, local/node_modules and the state machine driver live there. */
    private static Path repoRoot() {
        String configured = System.getProperty("recsys.repo.root");
        return (configured != null ? Path.of(configured) : Path.of("")).toAbsolutePath();
    }

    /**
     * Every health check green (KCL, Redis, and the event tracker when configured) and every shard's lease
     * held: only then does the next event land within the fast tier's interval instead of waiting for a lease.
     */
    private void waitForHealth(ConsumerProcess consumer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            if (!consumer.isAlive()) throw new IllegalStateException("kcl-consumer exited; see " + consumer.log());
            last = consumer.admin("/healthcheck");
            if (ConsumerProcess.healthy(last, options.shards())) {
                out.printf("  kcl-consumer healthy (%s) and holding all %d shard leases%n", ConsumerProcess.checks(last), options.shards());
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("kcl-consumer not healthy with " + options.shards() + " leases after 120 s: " + last
                + "; see " + consumer.log());
    }

    /** The first {@code n} users (by id) with a profile, skipping {@code except}: they get model answers, not cold starts. */
    private List<String> usersWithHistory(LocalStack stack, int n, String except) {
        return stack.dynamoDb().scanPaginator(b -> b.tableName(deployment.profilesTable())
                        .projectionExpression(UserProfileKeys.PARTITION_KEY)).items().stream().map(i -> i.get(UserProfileKeys.PARTITION_KEY).s()).filter(u -> !u.equals(except)).sorted().limit(n).toList();
    }

    /**
     * The closed loop, twice: the A/B of personalization (a) against popularity (b), then an A/A of the
     * same campaign under two names on other users, through a second API with its own experiment id.
     *
     * @return true when a wins with significance, the A/A names no winner, and both tables agree with
     *         the simulation's counts and the planted clusters
     */
    private boolean experiments(ConsumerProcess consumer, LocalStack stack, TrainingLoop training,
                                java.net.URI personalize, LocalRecommendationApi.Settings served, SyntheticWorkload truth,
                                List<String> abUsers, List<String> aaUsers) throws Exception {
        out.printf("%nOnline A/B test, closed loop (experiment %s): %,d simulated users ask the API and click or buy with"
                + " probabilities set by their planted taste cluster (ground truth the models never see)%n", SIM_AB_EXPERIMENT,
                abUsers.size());
        Endpoints e = stack.endpoints();
        // Each experiment has an id of its own, so its table holds exactly the simulation's answers.
        try (EventProducer producer = Producers.create(ProducerConfig.local(ProducerConfig.Mode.PUT_RECORDS, deployment.stream(),
                e.kinesis(), e.accessKey(), e.secretKey()));
             LocalRecommendationApi abApi = LocalRecommendationApi.start(e, personalize, served.withExperiment(SIM_AB_EXPERIMENT,
                     served.variants()))) {
            OnlineExperiment.Report ab = new OnlineExperiment(abApi, consumer, producer, truth, out)
                    .run(SIM_AB_EXPERIMENT, abUsers, SIMULATED_ROUNDS, options.seed());
            boolean abHolds = "a".equals(ab.winner()) && ab.countsMatch() && ab.agreesWithClusters();
            out.printf("  checked: %s%n", abHolds ? "personalization (a) beats popularity (b) with significance, as the clusters predict"
                    : "FAILED: expected a to win over b (winner " + ab.winner() + ")");

            out.printf("%nA/A control: the same campaign under two variant names (experiment %s), %,d other users%n",
                    SIM_AA_EXPERIMENT, aaUsers.size());
            try (LocalRecommendationApi aa = LocalRecommendationApi.start(e, personalize, served.withExperiment(SIM_AA_EXPERIMENT,
                    inOrder("a1", CAMPAIGN_ARN + "recsys-a", "a2", CAMPAIGN_ARN + "recsys-a")))) {
                OnlineExperiment.Report control = new OnlineExperiment(aa, consumer, producer, truth, out)
                        .run(SIM_AA_EXPERIMENT, aaUsers, SIMULATED_ROUNDS, options.seed() + 1);
                boolean aaHolds = control.winner() == null && control.countsMatch() && control.agreesWithClusters();
                out.printf("  checked: %s%n", aaHolds ? "no winner between identical variants" : "FAILED: the A/A named a winner or disagrees");

                // Last, as it changes what every API instance of this deployment serves (they read one published split).
                out.printf("%nPromotion: the pipeline's DecideExperiment step on %s, policy promote%n", SIM_AB_EXPERIMENT);
                // The deployed weights in the deployed order: buckets are laid out in that order.
                Map<String, Integer> deployedWeights = new LinkedHashMap<>();
                served.variants().keySet().forEach(v -> deployedWeights.put(v, 100 / served.variants().size()));
                Promotion.Report promoted = new Promotion(training, e.dynamodb(), stack.s3(), deployment.bucket(), abApi, out)
                        .run(new ExperimentConfig(deployment.experimentsTable(), SIM_AB_EXPERIMENT, ExperimentDecision.Policy.PROMOTE,
                                ExperimentConfig.DEFAULT_ROUTE, ExperimentConfig.DEFAULT_PROMOTE_STEP, deployedWeights),
                                ab.assignments(), LocalRecommendationApi.REFRESH);
                boolean promotionHolds = promoted.holds() && "a".equals(promoted.winner());
                out.printf("  checked: %s%n", promotionHolds ? "a promoted to " + promoted.weights().get("a")
                        + "% of users, only the shifted buckets' users moved, and deciding again changed nothing"
                        : "FAILED: the promotion did not come out as checked above");
                return abHolds && aaHolds && promotionHolds;
            }
        }
    }

    /** Variant → campaign in split order (users' buckets are laid out in this order; Map.of's order varies by JVM run). */
    private static Map<String, String> inOrder(String firstVariant, String firstCampaign, String secondVariant, String secondCampaign) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(firstVariant, firstCampaign);
        m.put(secondVariant, secondCampaign);
        return m;
    }

    /** "A > B > C ×3 > D": wait loops collapsed to a count. */
    static String compact(List<String> states) {
        StringBuilder b = new StringBuilder();
        java.util.Map<String, Integer> seen = new LinkedHashMap<>();
        states.forEach(st -> seen.merge(st, 1, Integer::sum));
        seen.forEach((st, n) -> b.append(b.length() == 0 ? "" : " > ").append(st).append(n > 1 ? " x" + n : ""));
        return b.toString();
    }

    /** The filters the pipeline made, with the expressions it made them from, as the API serves them. */
    private static Map<String, LocalRecommendationApi.ServedFilter> servedFilters(Map<String, String> arns) {
        Map<String, LocalRecommendationApi.ServedFilter> out = new LinkedHashMap<>();
        arns.forEach((name, arn) -> out.put(name, new LocalRecommendationApi.ServedFilter(arn,
                TrainingLoop.DEMO_FILTERS.expressions().get(name))));
        return out;
    }
}
