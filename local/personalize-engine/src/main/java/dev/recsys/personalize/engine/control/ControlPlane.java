package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.CAMPAIGN;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_IMPORT_JOB;
import static dev.recsys.personalize.engine.control.ResourceKind.EVENT_TRACKER;
import static dev.recsys.personalize.engine.control.ResourceKind.SCHEMA;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION_VERSION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.personalize.engine.recipes.Hyperparameters;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.storage.DatasetSnapshots;
import dev.recsys.personalize.engine.storage.ModelRepository;
import dev.recsys.personalize.engine.storage.ObjectStore;
import dev.recsys.personalize.engine.storage.StateFile;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Personalize control plane: resources kept as the JSON their Describe operations return, moved
 * through CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE / CREATE FAILED by a clock thread, with
 * imports and trainings run one at a time on a worker thread. Every change is saved to state.json.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    static final String PENDING = "CREATE PENDING", IN_PROGRESS = "CREATE IN_PROGRESS", ACTIVE = "ACTIVE", FAILED = "CREATE FAILED";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,62}");
    /** Personalize's default quota of solution versions training at once. */
    static final int MAX_TRAININGS_IN_FLIGHT = 5;

    /** What the runtime needs to answer for a campaign. */
    public record CampaignView(String campaignArn, String status, String solutionVersionArn, String solutionVersionId,
                               Recipe recipe, String datasetGroupArn) {}

    @FunctionalInterface
    private interface Work {
        /** Does the slow part off the lock; returns the change to apply when the resource turns ACTIVE. */
        Consumer<ObjectNode> run() throws Exception;
    }

    private final EngineConfig config;
    private final ObjectMapper json;
    private final StateFile stateFile;
    private final DatasetSnapshots snapshots;
    private final ObjectStore store;
    private final ModelRepository models;
    private final ObjectNode state;
    private final ScheduledExecutorService clock;
    private final ExecutorService worker;
    private final Map<String, Function<ObjectNode, ObjectNode>> operations = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    public ControlPlane(EngineConfig config, ObjectMapper json, ObjectStore store, ModelRepository models) throws IOException {
        this.config = config;
        this.json = json;
        this.store = store;
        this.models = models;
        this.stateFile = new StateFile(config.stateDir(), json);
        this.snapshots = new DatasetSnapshots(config.stateDir().resolve("datasets"));
        ObjectNode loaded = stateFile.load();
        this.state = loaded != null ? loaded : json.createObjectNode();
        for (ResourceKind k : ResourceKind.values()) if (!state.has(k.stateKey())) state.putObject(k.stateKey());
        if (!state.has("metrics")) state.putObject("metrics");
        this.clock = Executors.newSingleThreadScheduledExecutor(daemon("personalize-lifecycle"));
        this.worker = Executors.newSingleThreadExecutor(daemon("personalize-worker"));
        recoverInFlight();
        register();
    }

    /** Runs one control-plane operation (the X-Amz-Target suffix) on its JSON request. */
    public ObjectNode call(String operation, ObjectNode request) {
        Function<ObjectNode, ObjectNode> op = operations.get(operation);
        if (op == null) {
            throw new ServiceException(ErrorCode.UnknownOperationException,
                    "Operation " + operation + " is not supported by the local Personalize engine");
        }
        return op.apply(request);
    }

    public ModelRepository models() {
        return models;
    }

    public synchronized CampaignView campaign(String campaignArn) {
        ObjectNode c = find(CAMPAIGN, campaignArn);
        if (c == null) return null;
        String svArn = c.path("solutionVersionArn").asText();
        ObjectNode sv = find(SOLUTION_VERSION, svArn);
        Recipe recipe = sv == null ? null : Recipe.fromArn(sv.path("recipeArn").asText()).orElse(null);
        return new CampaignView(campaignArn, c.path("status").asText(), svArn, idOf(svArn), recipe,
                sv == null ? null : sv.path("datasetGroupArn").asText());
    }

    /** The dataset group an event tracker's tracking id feeds, or null when no tracker has it. */
    public synchronized String datasetGroupOfTrackingId(String trackingId) {
        for (JsonNode t : state.get(EVENT_TRACKER.stateKey())) {
            if (t.path("trackingId").asText().equals(trackingId)) return t.path("datasetGroupArn").asText();
        }
        return null;
    }

    @Override
    public void close() {
        clock.shutdownNow();
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void register() {
        operations.put("CreateDatasetGroup", this::createDatasetGroup);
        operations.put("DescribeDatasetGroup", r -> describe(DATASET_GROUP, "datasetGroup", r, "datasetGroupArn"));
        operations.put("ListDatasetGroups", r -> list(DATASET_GROUP, "datasetGroups", r, n -> true,
                "name", "datasetGroupArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "domain"));
        operations.put("DeleteDatasetGroup", this::deleteDatasetGroup);
        operations.put("CreateSchema", this::createSchema);
        operations.put("DescribeSchema", r -> describe(SCHEMA, "schema", r, "schemaArn"));
        operations.put("ListSchemas", r -> list(SCHEMA, "schemas", r, n -> true,
                "name", "schemaArn", "creationDateTime", "lastUpdatedDateTime", "domain"));
        operations.put("DeleteSchema", this::deleteSchema);
        operations.put("CreateDataset", this::createDataset);
        operations.put("DescribeDataset", r -> describe(DATASET, "dataset", r, "datasetArn"));
        operations.put("ListDatasets", r -> list(DATASET, "datasets", r, matching(r, "datasetGroupArn"),
                "name", "datasetArn", "datasetType", "status", "creationDateTime", "lastUpdatedDateTime"));
        operations.put("DeleteDataset", this::deleteDataset);
        operations.put("CreateDatasetImportJob", this::createDatasetImportJob);
        operations.put("DescribeDatasetImportJob", r -> describe(DATASET_IMPORT_JOB, "datasetImportJob", r, "datasetImportJobArn"));
        operations.put("ListDatasetImportJobs", r -> list(DATASET_IMPORT_JOB, "datasetImportJobs", r, matching(r, "datasetArn"),
                "datasetImportJobArn", "jobName", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "importMode"));
        operations.put("CreateSolution", this::createSolution);
        operations.put("DescribeSolution", this::describeSolution);
        operations.put("ListSolutions", r -> list(SOLUTION, "solutions", r, matching(r, "datasetGroupArn"),
                "name", "solutionArn", "status", "creationDateTime", "lastUpdatedDateTime", "recipeArn"));
        operations.put("DeleteSolution", this::deleteSolution);
        operations.put("CreateSolutionVersion", this::createSolutionVersion);
        operations.put("DescribeSolutionVersion", r -> describe(SOLUTION_VERSION, "solutionVersion", r, "solutionVersionArn"));
        operations.put("ListSolutionVersions", r -> list(SOLUTION_VERSION, "solutionVersions", r, matching(r, "solutionArn"),
                "solutionVersionArn", "status", "trainingMode", "trainingType", "creationDateTime", "lastUpdatedDateTime", "failureReason"));
        operations.put("GetSolutionMetrics", this::getSolutionMetrics);
        operations.put("CreateCampaign", this::createCampaign);
        operations.put("DescribeCampaign", r -> describe(CAMPAIGN, "campaign", r, "campaignArn"));
        operations.put("ListCampaigns", this::listCampaigns);
        operations.put("UpdateCampaign", this::updateCampaign);
        operations.put("DeleteCampaign", r -> delete(CAMPAIGN, r, "campaignArn"));
        operations.put("CreateEventTracker", this::createEventTracker);
        operations.put("DescribeEventTracker", r -> describe(EVENT_TRACKER, "eventTracker", r, "eventTrackerArn"));
        operations.put("ListEventTrackers", r -> list(EVENT_TRACKER, "eventTrackers", r, matching(r, "datasetGroupArn"),
                "name", "eventTrackerArn", "status", "creationDateTime", "lastUpdatedDateTime"));
        operations.put("DeleteEventTracker", r -> delete(EVENT_TRACKER, r, "eventTrackerArn"));
        operations.put("CreateFilter", r -> {
            throw ServiceException.invalid("Filters are not supported by the local Personalize engine");
        });
    }

    // ---- dataset groups, schemas, datasets ----

    private synchronized ObjectNode createDatasetGroup(ObjectNode r) {
        String name = name(r);
        String arn = arn(DATASET_GROUP, name);
        requireAbsent(DATASET_GROUP, arn);
        ObjectNode dg = newResource(DATASET_GROUP, arn, "datasetGroupArn", name);
        copyIfPresent(r, dg, "roleArn", "kmsKeyArn", "domain");
        persist();
        lifecycle(() -> findLocked(DATASET_GROUP, arn), null);
        ObjectNode out = json.createObjectNode().put("datasetGroupArn", arn);
        copyIfPresent(r, out, "domain");
        return out;
    }

    private synchronized ObjectNode deleteDatasetGroup(ObjectNode r) {
        String arn = required(r, "datasetGroupArn");
        get(DATASET_GROUP, arn);
        for (ResourceKind k : List.of(DATASET, SOLUTION, EVENT_TRACKER)) {
            if (stream(k).anyMatch(n -> arn.equals(n.path("datasetGroupArn").asText()))) {
                throw new ServiceException(ErrorCode.ResourceInUseException,
                        "Dataset group " + arn + " still has " + k.stateKey() + "; delete them first");
            }
        }
        return delete(DATASET_GROUP, r, "datasetGroupArn");
    }

    private synchronized ObjectNode createSchema(ObjectNode r) {
        String name = name(r);
        String schema = required(r, "schema");
        SchemaFields.parse(schema, json);
        String arn = arn(SCHEMA, name);
        requireAbsent(SCHEMA, arn);
        ObjectNode s = json.createObjectNode().put("name", name).put("schemaArn", arn).put("schema", schema)
                .put("creationDateTime", now()).put("lastUpdatedDateTime", now());
        copyIfPresent(r, s, "domain");
        table(SCHEMA).set(arn, s);
        persist();
        return json.createObjectNode().put("schemaArn", arn);
    }

    private synchronized ObjectNode deleteSchema(ObjectNode r) {
        String arn = required(r, "schemaArn");
        get(SCHEMA, arn);
        if (stream(DATASET).anyMatch(d -> arn.equals(d.path("schemaArn").asText()))) {
            throw new ServiceException(ErrorCode.ResourceInUseException, "Schema " + arn + " is used by a dataset");
        }
        return delete(SCHEMA, r, "schemaArn");
    }

    private synchronized ObjectNode createDataset(ObjectNode r) {
        String name = name(r);
        String dgArn = required(r, "datasetGroupArn");
        String schemaArn = required(r, "schemaArn");
        String type = required(r, "datasetType");
        ObjectNode dg = get(DATASET_GROUP, dgArn);
        requireActive(dg, "Dataset group " + dgArn);
        ObjectNode schema = get(SCHEMA, schemaArn);
        SchemaFields.requireFor(type, SchemaFields.parse(schema.path("schema").asText(), json));
        String arn = arn(DATASET, dg.path("name").asText() + "/" + type.toUpperCase(Locale.ROOT));
        requireAbsent(DATASET, arn);
        ObjectNode d = newResource(DATASET, arn, "datasetArn", name);
        d.put("datasetGroupArn", dgArn).put("datasetType", capitalised(type)).put("schemaArn", schemaArn);
        persist();
        lifecycle(() -> findLocked(DATASET, arn), null);
        return json.createObjectNode().put("datasetArn", arn);
    }

    private synchronized ObjectNode deleteDataset(ObjectNode r) {
        String arn = required(r, "datasetArn");
        get(DATASET, arn);
        if (stream(DATASET_IMPORT_JOB).anyMatch(j -> arn.equals(j.path("datasetArn").asText()) && inFlight(j))) {
            throw new ServiceException(ErrorCode.ResourceInUseException, "Dataset " + arn + " has an import in progress");
        }
        return delete(DATASET, r, "datasetArn");
    }

    // ---- imports ----

    private synchronized ObjectNode createDatasetImportJob(ObjectNode r) {
        String jobName = required(r, "jobName");
        checkName(jobName);
        String datasetArn = required(r, "datasetArn");
        required(r, "roleArn");
        String location = r.path("dataSource").path("dataLocation").asText("");
        if (location.isEmpty()) throw ServiceException.invalid("dataSource.dataLocation is required");
        if (!location.startsWith("s3://")) throw ServiceException.invalid("dataSource.dataLocation must be an s3:// path");
        String mode = r.path("importMode").asText("FULL");
        if (!mode.equals("FULL") && !mode.equals("INCREMENTAL")) throw ServiceException.invalid("importMode must be FULL or INCREMENTAL");
        ObjectNode dataset = get(DATASET, datasetArn);
        requireActive(dataset, "Dataset " + datasetArn);
        if (stream(DATASET_IMPORT_JOB).anyMatch(j -> datasetArn.equals(j.path("datasetArn").asText()) && inFlight(j))) {
            throw new ServiceException(ErrorCode.ResourceInUseException,
                    "Dataset " + datasetArn + " already has an import job in progress");
        }
        String arn = arn(DATASET_IMPORT_JOB, jobName);
        requireAbsent(DATASET_IMPORT_JOB, arn);
        ObjectNode job = newResource(DATASET_IMPORT_JOB, arn, "datasetImportJobArn", null);
        job.put("jobName", jobName).put("datasetArn", datasetArn).put("importMode", mode)
                .put("publishAttributionMetricsToS3", false);
        job.putObject("dataSource").put("dataLocation", location);
        copyIfPresent(r, job, "roleArn");
        persist();
        String type = dataset.path("datasetType").asText();
        Map<String, Boolean> fields = SchemaFields.parse(get(SCHEMA, dataset.path("schemaArn").asText()).path("schema").asText(), json);
        lifecycle(() -> findLocked(DATASET_IMPORT_JOB, arn), () -> {
            String summary = ImportJob.run(store, snapshots, jobName, type, fields, location, mode.equals("FULL"),
                    config.minInteractions(), config.minUsers());
            LOG.info("import {} read {}", jobName, summary);
            return n -> {};
        });
        return json.createObjectNode().put("datasetImportJobArn", arn);
    }

    // ---- solutions and versions ----

    private synchronized ObjectNode createSolution(ObjectNode r) {
        String name = name(r);
        String dgArn = required(r, "datasetGroupArn");
        if (r.path("performAutoML").asBoolean(false)) throw ServiceException.invalid("performAutoML is not supported by the local engine");
        String recipeArn = r.path("recipeArn").asText("");
        if (recipeArn.isEmpty()) throw ServiceException.invalid("recipeArn is required");
        if (Recipe.fromArn(recipeArn).isEmpty()) {
            throw ServiceException.notFound("Recipe " + recipeArn + " is not available in the local engine; supported: "
                    + Stream.of(Recipe.values()).flatMap(x -> x.names().stream()).map(n -> Recipe.ARN_PREFIX + n).toList());
        }
        get(DATASET_GROUP, dgArn);
        JsonNode solutionConfig = r.path("solutionConfig");
        hyperparameters(solutionConfig);
        eventValueThreshold(solutionConfig);
        String arn = arn(SOLUTION, name);
        requireAbsent(SOLUTION, arn);
        ObjectNode s = newResource(SOLUTION, arn, "solutionArn", name);
        s.put("performHPO", false).put("performAutoML", false).put("recipeArn", recipeArn).put("datasetGroupArn", dgArn);
        copyIfPresent(r, s, "eventType", "solutionConfig");
        persist();
        lifecycle(() -> findLocked(SOLUTION, arn), null);
        return json.createObjectNode().put("solutionArn", arn);
    }

    private synchronized ObjectNode describeSolution(ObjectNode r) {
        String arn = required(r, "solutionArn");
        ObjectNode s = get(SOLUTION, arn).deepCopy();
        stream(SOLUTION_VERSION).filter(v -> arn.equals(v.path("solutionArn").asText()))
                .max(Comparator.comparingDouble(v -> v.path("creationDateTime").asDouble()))
                .ifPresent(v -> s.set("latestSolutionVersion", pick(v, "solutionVersionArn", "status", "trainingMode",
                        "trainingType", "creationDateTime", "lastUpdatedDateTime", "failureReason")));
        return json.createObjectNode().set("solution", s);
    }

    private synchronized ObjectNode deleteSolution(ObjectNode r) {
        String arn = required(r, "solutionArn");
        get(SOLUTION, arn);
        boolean training = stream(SOLUTION_VERSION).anyMatch(v -> arn.equals(v.path("solutionArn").asText()) && inFlight(v));
        boolean served = stream(CAMPAIGN).anyMatch(c -> c.path("solutionVersionArn").asText().startsWith(arn + "/"));
        if (training || served) {
            throw new ServiceException(ErrorCode.ResourceInUseException,
                    "Solution " + arn + (training ? " is training" : " is served by a campaign"));
        }
        return delete(SOLUTION, r, "solutionArn");
    }

    private synchronized ObjectNode createSolutionVersion(ObjectNode r) {
        String solutionArn = required(r, "solutionArn");
        String mode = r.path("trainingMode").asText("FULL");
        if (!mode.equals("FULL") && !mode.equals("UPDATE")) throw ServiceException.invalid("trainingMode must be FULL or UPDATE");
        ObjectNode solution = get(SOLUTION, solutionArn);
        requireActive(solution, "Solution " + solutionArn);
        if (stream(SOLUTION_VERSION).anyMatch(v -> solutionArn.equals(v.path("solutionArn").asText()) && inFlight(v))) {
            throw new ServiceException(ErrorCode.ResourceInUseException,
                    "Solution " + solutionArn + " already has a solution version in progress");
        }
        if (stream(SOLUTION_VERSION).filter(ControlPlane::inFlight).count() >= MAX_TRAININGS_IN_FLIGHT) {
            throw new ServiceException(ErrorCode.LimitExceededException,
                    "At most " + MAX_TRAININGS_IN_FLIGHT + " solution versions can be in progress at once");
        }
        String id;
        do {
            byte[] b = new byte[4];
            random.nextBytes(b);
            id = HexFormat.of().formatHex(b);
        } while (find(SOLUTION_VERSION, solutionArn + "/" + id) != null);
        String arn = solutionArn + "/" + id;
        ObjectNode v = newResource(SOLUTION_VERSION, arn, "solutionVersionArn", null);
        copyIfPresent(r, v, "name");
        v.put("solutionArn", solutionArn).put("performHPO", false).put("performAutoML", false)
                .put("recipeArn", solution.path("recipeArn").asText())
                .put("datasetGroupArn", solution.path("datasetGroupArn").asText())
                .put("trainingMode", mode).put("trainingType", "MANUAL");
        copyIfPresent(solution, v, "eventType", "solutionConfig");
        persist();
        String svId = id;
        lifecycle(() -> findLocked(SOLUTION_VERSION, arn), () -> {
            TrainingJob.Spec spec;
            synchronized (this) {
                spec = trainingSpec(svId, solution);
            }
            TrainingJob.Result result = TrainingJob.run(spec, snapshots, models, config.trainingThreads(),
                    config.minInteractions(), config.minUsers(), config.evaluationUserFraction(), config.evaluationRecentFraction());
            LOG.info("solution version {} trained in {} s: {}", arn, String.format("%.1f", result.trainingSeconds()), result.metrics());
            return n -> {
                n.put("trainingHours", result.trainingSeconds() / 3600.0);
                ObjectNode m = ((ObjectNode) state.get("metrics")).putObject(arn);
                result.metrics().forEach(m::put);
            };
        });
        return json.createObjectNode().put("solutionVersionArn", arn);
    }

    private TrainingJob.Spec trainingSpec(String svId, ObjectNode solution) {
        String dgArn = solution.path("datasetGroupArn").asText();
        String interactionsArn = stream(DATASET)
                .filter(d -> dgArn.equals(d.path("datasetGroupArn").asText()) && "Interactions".equals(d.path("datasetType").asText()))
                .map(d -> d.path("datasetArn").asText()).findFirst().orElse(null);
        List<TrainingJob.Import> imports = stream(DATASET_IMPORT_JOB)
                .filter(j -> j.path("datasetArn").asText().equals(interactionsArn) && ACTIVE.equals(j.path("status").asText()))
                .sorted(Comparator.comparingDouble(j -> j.path("creationDateTime").asDouble()))
                .map(j -> new TrainingJob.Import(j.path("jobName").asText(), j.path("importMode").asText()))
                .toList();
        JsonNode sc = solution.path("solutionConfig");
        String eventType = solution.hasNonNull("eventType") ? solution.get("eventType").asText() : null;
        return new TrainingJob.Spec(svId, Recipe.fromArn(solution.path("recipeArn").asText()).orElseThrow(),
                hyperparameters(sc), eventType, eventValueThreshold(sc), imports);
    }

    private synchronized ObjectNode getSolutionMetrics(ObjectNode r) {
        String arn = required(r, "solutionVersionArn");
        ObjectNode v = get(SOLUTION_VERSION, arn);
        if (!ACTIVE.equals(v.path("status").asText())) {
            throw new ServiceException(ErrorCode.ResourceInUseException,
                    "Solution version " + arn + " is " + v.path("status").asText() + "; metrics exist once it is ACTIVE");
        }
        ObjectNode out = json.createObjectNode().put("solutionVersionArn", arn);
        out.set("metrics", state.get("metrics").path(arn).deepCopy());
        return out;
    }

    // ---- campaigns ----

    private synchronized ObjectNode createCampaign(ObjectNode r) {
        String name = name(r);
        String svArn = required(r, "solutionVersionArn");
        int tps = r.path("minProvisionedTPS").asInt(1);
        if (tps < 1) throw ServiceException.invalid("minProvisionedTPS must be >= 1");
        ObjectNode v = get(SOLUTION_VERSION, svArn);
        if (!ACTIVE.equals(v.path("status").asText())) {
            throw ServiceException.invalid("Solution version " + svArn + " is " + v.path("status").asText() + ", not ACTIVE");
        }
        String arn = arn(CAMPAIGN, name);
        requireAbsent(CAMPAIGN, arn);
        ObjectNode c = newResource(CAMPAIGN, arn, "campaignArn", name);
        c.put("solutionVersionArn", svArn).put("minProvisionedTPS", tps);
        copyIfPresent(r, c, "campaignConfig");
        persist();
        lifecycle(() -> findLocked(CAMPAIGN, arn), () -> {
            models.get(idOf(svArn));
            return n -> {};
        });
        return json.createObjectNode().put("campaignArn", arn);
    }

    private synchronized ObjectNode listCampaigns(ObjectNode r) {
        String solutionArn = r.path("solutionArn").asText("");
        return list(CAMPAIGN, "campaigns", r, c -> solutionArn.isEmpty()
                        || c.path("solutionVersionArn").asText().startsWith(solutionArn + "/"),
                "name", "campaignArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason");
    }

    private synchronized ObjectNode updateCampaign(ObjectNode r) {
        String arn = required(r, "campaignArn");
        ObjectNode c = get(CAMPAIGN, arn);
        if (!ACTIVE.equals(c.path("status").asText())) {
            throw new ServiceException(ErrorCode.ResourceInUseException, "Campaign " + arn + " is " + c.path("status").asText());
        }
        if (c.has("latestCampaignUpdate") && inFlight(c.get("latestCampaignUpdate"))) {
            throw new ServiceException(ErrorCode.ResourceInUseException, "Campaign " + arn + " is already being updated");
        }
        String svArn = r.path("solutionVersionArn").asText(c.path("solutionVersionArn").asText());
        ObjectNode v = get(SOLUTION_VERSION, svArn);
        if (!ACTIVE.equals(v.path("status").asText())) {
            throw ServiceException.invalid("Solution version " + svArn + " is " + v.path("status").asText() + ", not ACTIVE");
        }
        ObjectNode current = find(SOLUTION_VERSION, c.path("solutionVersionArn").asText());
        if (current != null && !current.path("datasetGroupArn").equals(v.path("datasetGroupArn"))) {
            throw ServiceException.invalid("Solution version " + svArn + " belongs to another dataset group");
        }
        int tps = r.path("minProvisionedTPS").asInt(c.path("minProvisionedTPS").asInt(1));
        if (tps < 1) throw ServiceException.invalid("minProvisionedTPS must be >= 1");
        ObjectNode update = json.createObjectNode().put("solutionVersionArn", svArn).put("minProvisionedTPS", tps);
        if (r.has("campaignConfig")) update.set("campaignConfig", r.get("campaignConfig"));
        else if (c.has("campaignConfig")) update.set("campaignConfig", c.get("campaignConfig"));
        update.put("status", PENDING).put("creationDateTime", now()).put("lastUpdatedDateTime", now());
        c.set("latestCampaignUpdate", update);
        persist();
        lifecycle(() -> {
            ObjectNode live = findLocked(CAMPAIGN, arn);
            return live == null ? null : (ObjectNode) live.get("latestCampaignUpdate");
        }, () -> {
            models.get(idOf(svArn));
            // Serving switches to the new version only now, when the update turns ACTIVE.
            return u -> {
                ObjectNode live = find(CAMPAIGN, arn);
                if (live == null) return;
                live.put("solutionVersionArn", svArn).put("minProvisionedTPS", tps).put("lastUpdatedDateTime", now());
                if (u.has("campaignConfig")) live.set("campaignConfig", u.get("campaignConfig"));
            };
        });
        return json.createObjectNode().put("campaignArn", arn);
    }

    // ---- event trackers ----

    private synchronized ObjectNode createEventTracker(ObjectNode r) {
        String name = name(r);
        String dgArn = required(r, "datasetGroupArn");
        get(DATASET_GROUP, dgArn);
        if (stream(EVENT_TRACKER).anyMatch(t -> dgArn.equals(t.path("datasetGroupArn").asText()))) {
            throw new ServiceException(ErrorCode.LimitExceededException,
                    "Dataset group " + dgArn + " already has an event tracker (limit 1)");
        }
        String arn = arn(EVENT_TRACKER, name);
        requireAbsent(EVENT_TRACKER, arn);
        String trackingId = UUID.randomUUID().toString();
        ObjectNode t = newResource(EVENT_TRACKER, arn, "eventTrackerArn", name);
        t.put("accountId", config.accountId()).put("trackingId", trackingId).put("datasetGroupArn", dgArn);
        persist();
        lifecycle(() -> findLocked(EVENT_TRACKER, arn), null);
        return json.createObjectNode().put("eventTrackerArn", arn).put("trackingId", trackingId);
    }

    // ---- lifecycle ----

    /**
     * PENDING for one step, then IN_PROGRESS while {@code work} runs on the worker (or one step when
     * there is none), then ACTIVE one step later; a failed work item ends in CREATE FAILED.
     */
    private void lifecycle(Supplier<ObjectNode> target, Work work) {
        long delay = config.stepDelay().toMillis();
        clock.schedule(() -> {
            synchronized (this) {
                ObjectNode t = target.get();
                if (t == null || !PENDING.equals(t.path("status").asText())) return;
                setStatus(t, IN_PROGRESS);
                persist();
            }
            if (work == null) {
                clock.schedule(() -> finish(target, n -> {}), delay, TimeUnit.MILLISECONDS);
                return;
            }
            worker.execute(() -> {
                Consumer<ObjectNode> apply;
                try {
                    apply = work.run();
                } catch (ImportJob.Failure e) {
                    fail(target, e.getMessage());
                    return;
                } catch (Exception | OutOfMemoryError e) {
                    LOG.warn("resource work failed", e);
                    fail(target, "Internal error: " + e);
                    return;
                }
                clock.schedule(() -> finish(target, apply), delay, TimeUnit.MILLISECONDS);
            });
        }, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void finish(Supplier<ObjectNode> target, Consumer<ObjectNode> apply) {
        ObjectNode t = target.get();
        if (t == null || !IN_PROGRESS.equals(t.path("status").asText())) return;
        apply.accept(t);
        setStatus(t, ACTIVE);
        persist();
    }

    private synchronized void fail(Supplier<ObjectNode> target, String reason) {
        ObjectNode t = target.get();
        if (t == null) return;
        setStatus(t, FAILED);
        t.put("failureReason", reason);
        persist();
    }

    /** Work cannot survive a restart: such resources fail; resources without work just finish. */
    private void recoverInFlight() {
        Set<ResourceKind> withWork = Set.of(DATASET_IMPORT_JOB, SOLUTION_VERSION, CAMPAIGN);
        for (ResourceKind k : ResourceKind.values()) {
            for (JsonNode n : table(k)) {
                ObjectNode o = (ObjectNode) n;
                if (inFlight(o)) {
                    if (withWork.contains(k)) {
                        setStatus(o, FAILED);
                        o.put("failureReason", "The engine restarted while this resource was being created");
                    } else {
                        setStatus(o, ACTIVE);
                    }
                }
                if (o.has("latestCampaignUpdate") && inFlight(o.get("latestCampaignUpdate"))) {
                    ObjectNode u = (ObjectNode) o.get("latestCampaignUpdate");
                    setStatus(u, FAILED);
                    u.put("failureReason", "The engine restarted while this update was in progress");
                }
            }
        }
        persist();
    }

    // ---- generic helpers ----

    private ObjectNode describe(ResourceKind kind, String field, ObjectNode r, String arnField) {
        synchronized (this) {
            return json.createObjectNode().set(field, get(kind, required(r, arnField)).deepCopy());
        }
    }

    /** Keeps resources whose {@code field} equals the request's {@code field}, or all when the request has none. */
    private static Predicate<ObjectNode> matching(ObjectNode r, String field) {
        String wanted = r.path(field).asText("");
        return n -> wanted.isEmpty() || wanted.equals(n.path(field).asText());
    }

    private synchronized ObjectNode list(ResourceKind kind, String field, ObjectNode r, Predicate<ObjectNode> keep,
                                         String... summaryFields) {
        int max = r.path("maxResults").asInt(100);
        if (max < 1 || max > 100) throw ServiceException.invalid("maxResults must be in [1, 100]");
        int offset = 0;
        if (r.hasNonNull("nextToken")) {
            try {
                offset = Integer.parseInt(r.get("nextToken").asText());
            } catch (NumberFormatException ex) {
                throw ServiceException.invalid("Invalid nextToken");
            }
        }
        // Newest first, as Personalize lists.
        List<ObjectNode> all = stream(kind).filter(keep)
                .sorted(Comparator.comparingDouble((ObjectNode n) -> n.path("creationDateTime").asDouble()).reversed())
                .toList();
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray(field);
        for (int i = offset; i < Math.min(all.size(), offset + max); i++) items.add(pick(all.get(i), summaryFields));
        if (offset + max < all.size()) out.put("nextToken", String.valueOf(offset + max));
        return out;
    }

    private synchronized ObjectNode delete(ResourceKind kind, ObjectNode r, String arnField) {
        String arn = required(r, arnField);
        get(kind, arn);
        table(kind).remove(arn);
        persist();
        return json.createObjectNode();
    }

    private ObjectNode newResource(ResourceKind kind, String arn, String arnField, String name) {
        ObjectNode n = json.createObjectNode();
        if (name != null) n.put("name", name);
        n.put(arnField, arn).put("status", PENDING).put("creationDateTime", now()).put("lastUpdatedDateTime", now());
        table(kind).set(arn, n);
        return n;
    }

    private ObjectNode pick(JsonNode from, String... fields) {
        ObjectNode out = json.createObjectNode();
        for (String f : fields) if (from.has(f)) out.set(f, from.get(f).deepCopy());
        return out;
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String... fields) {
        for (String f : fields) if (from.hasNonNull(f)) to.set(f, from.get(f).deepCopy());
    }

    private ObjectNode table(ResourceKind kind) {
        return (ObjectNode) state.get(kind.stateKey());
    }

    private Stream<ObjectNode> stream(ResourceKind kind) {
        List<ObjectNode> out = new ArrayList<>();
        for (Iterator<JsonNode> it = table(kind).elements(); it.hasNext(); ) out.add((ObjectNode) it.next());
        return out.stream();
    }

    private ObjectNode find(ResourceKind kind, String arn) {
        JsonNode n = table(kind).get(arn);
        return n instanceof ObjectNode o ? o : null;
    }

    private synchronized ObjectNode findLocked(ResourceKind kind, String arn) {
        return find(kind, arn);
    }

    private ObjectNode get(ResourceKind kind, String arn) {
        ObjectNode n = find(kind, arn);
        if (n == null) throw ServiceException.notFound("Resource " + arn + " does not exist.");
        return n;
    }

    private void requireAbsent(ResourceKind kind, String arn) {
        if (find(kind, arn) != null) {
            throw new ServiceException(ErrorCode.ResourceAlreadyExistsException, "Resource " + arn + " already exists.");
        }
    }

    private static void requireActive(ObjectNode n, String what) {
        if (!ACTIVE.equals(n.path("status").asText())) {
            throw new ServiceException(ErrorCode.ResourceInUseException, what + " is " + n.path("status").asText() + ", not ACTIVE");
        }
    }

    private static boolean inFlight(JsonNode n) {
        String s = n.path("status").asText();
        return PENDING.equals(s) || IN_PROGRESS.equals(s);
    }

    private void setStatus(ObjectNode n, String status) {
        n.put("status", status).put("lastUpdatedDateTime", now());
    }

    private String name(ObjectNode r) {
        String name = required(r, "name");
        checkName(name);
        return name;
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ServiceException.invalid("Name '" + name + "' must match [a-zA-Z0-9][a-zA-Z0-9\\-_]* and have at most 63 characters");
        }
    }

    private static String required(ObjectNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw ServiceException.invalid(field + " is required");
        return v.asText();
    }

    private static Hyperparameters hyperparameters(JsonNode solutionConfig) {
        Map<String, String> values = new LinkedHashMap<>();
        solutionConfig.path("algorithmHyperParameters").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        try {
            return Hyperparameters.from(values);
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid("Invalid algorithmHyperParameters: " + e.getMessage());
        }
    }

    private static Double eventValueThreshold(JsonNode solutionConfig) {
        if (!solutionConfig.hasNonNull("eventValueThreshold")) return null;
        try {
            return Double.parseDouble(solutionConfig.get("eventValueThreshold").asText());
        } catch (NumberFormatException e) {
            throw ServiceException.invalid("eventValueThreshold must be a number");
        }
    }

    private String arn(ResourceKind kind, String name) {
        return "arn:aws:personalize:" + config.region() + ":" + config.accountId() + ":" + kind.arnType() + "/" + name;
    }

    static String idOf(String solutionVersionArn) {
        return solutionVersionArn.substring(solutionVersionArn.lastIndexOf('/') + 1);
    }

    private static String capitalised(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private void persist() {
        try {
            stateFile.save(state);
        } catch (IOException e) {
            LOG.error("cannot save engine state to {}", config.stateDir(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
