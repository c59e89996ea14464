package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.Lifecycle.ACTIVE;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_IMPORT_JOB;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION_VERSION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.storage.DatasetSnapshots;
import dev.recsys.personalize.engine.storage.ModelRepository;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Solution versions: trainings ({@link TrainingJob}) of a solution on its dataset group's imported
 * interactions, ARN {@code <solution ARN>/<8-hex id>}; also GetSolutionMetrics.
 */
final class SolutionVersions implements ResourceType {

    /** Personalize's default quota of solution versions training at once. */
    static final int MAX_TRAININGS_IN_FLIGHT = 5;

    private static final Logger LOG = LoggerFactory.getLogger(SolutionVersions.class);

    private final ResourceStore store;
    private final Lifecycle lifecycle;
    private final DatasetSnapshots snapshots;
    private final ModelRepository models;
    private final SecureRandom random = new SecureRandom();

    SolutionVersions(ResourceStore store, Lifecycle lifecycle, DatasetSnapshots snapshots, ModelRepository models) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.snapshots = snapshots;
        this.models = models;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateSolutionVersion", this::create);
        ops.add("DescribeSolutionVersion", r -> store.describe(SOLUTION_VERSION, r));
        ops.add("ListSolutionVersions", r -> store.list(SOLUTION_VERSION, r, Requests.matching(r, "solutionArn"),
                "solutionVersionArn", "status", "trainingMode", "trainingType", "creationDateTime", "lastUpdatedDateTime", "failureReason"));
        ops.add("GetSolutionMetrics", this::metrics);
    }

    /** The id the model is stored under: the ARN's last segment. */
    static String idOf(String solutionVersionArn) {
        return solutionVersionArn.substring(solutionVersionArn.lastIndexOf('/') + 1);
    }

    private ObjectNode create(ObjectNode r) {
        String solutionArn = Requests.required(r, "solutionArn");
        String mode = r.path("trainingMode").asText("FULL");
        if (!mode.equals("FULL") && !mode.equals("UPDATE")) throw ServiceException.invalid("trainingMode must be FULL or UPDATE");
        ObjectNode solution = store.get(SOLUTION, solutionArn);
        Lifecycle.requireActive(solution, "Solution " + solutionArn);
        if (store.stream(SOLUTION_VERSION).anyMatch(v -> solutionArn.equals(v.path("solutionArn").asText()) && Lifecycle.inFlight(v))) {
            throw new ServiceException(ErrorCode.ResourceInUseException,
                    "Solution " + solutionArn + " already has a solution version in progress");
        }
        if (store.stream(SOLUTION_VERSION).filter(Lifecycle::inFlight).count() >= MAX_TRAININGS_IN_FLIGHT) {
            throw new ServiceException(ErrorCode.LimitExceededException,
                    "At most " + MAX_TRAININGS_IN_FLIGHT + " solution versions can be in progress at once");
        }
        String id = newId(solutionArn);
        String arn = solutionArn + "/" + id;
        ObjectNode v = store.create(SOLUTION_VERSION, arn, null);
        Requests.copyIfPresent(r, v, "name");
        v.put("solutionArn", solutionArn).put("performHPO", false).put("performAutoML", false)
                .put("recipeArn", solution.path("recipeArn").asText())
                .put("datasetGroupArn", solution.path("datasetGroupArn").asText())
                .put("trainingMode", mode).put("trainingType", "MANUAL");
        Requests.copyIfPresent(solution, v, "eventType", "solutionConfig");
        store.persist();
        EngineConfig config = store.config();
        lifecycle.start(() -> store.find(SOLUTION_VERSION, arn), () -> {
            TrainingJob.Spec spec;
            synchronized (store) {
                spec = trainingSpec(id, solution);
            }
            TrainingJob.Result result = TrainingJob.run(spec, snapshots, models, config.trainingThreads(),
                    config.minInteractions(), config.minUsers(), config.evaluationUserFraction(), config.evaluationRecentFraction());
            LOG.info("solution version {} trained in {} s: {}", arn, String.format("%.1f", result.trainingSeconds()), result.metrics());
            return n -> {
                n.put("trainingHours", result.trainingSeconds() / 3600.0);
                ObjectNode m = store.metrics().putObject(arn);
                result.metrics().forEach(m::put);
            };
        });
        return store.json().createObjectNode().put("solutionVersionArn", arn);
    }

    private String newId(String solutionArn) {
        String id;
        do {
            byte[] b = new byte[4];
            random.nextBytes(b);
            id = HexFormat.of().formatHex(b);
        } while (store.find(SOLUTION_VERSION, solutionArn + "/" + id) != null);
        return id;
    }

    /** What to train on, read when the training starts: the interactions dataset's ACTIVE imports, oldest first. */
    private TrainingJob.Spec trainingSpec(String svId, ObjectNode solution) {
        String dgArn = solution.path("datasetGroupArn").asText();
        List<TrainingJob.Import> imports = allInteractionImports(store, dgArn);
        JsonNode sc = solution.path("solutionConfig");
        String eventType = solution.hasNonNull("eventType") ? solution.get("eventType").asText() : null;
        return new TrainingJob.Spec(svId, Recipe.fromArn(solution.path("recipeArn").asText()).orElseThrow(),
                Solutions.hyperparameters(sc), eventType, Solutions.eventValueThreshold(sc), imports);
    }

    /** The interactions dataset's ACTIVE imports, oldest first. */
    private static List<TrainingJob.Import> allInteractionImports(ResourceStore store, String dgArn) {
        String interactionsArn = store.stream(DATASET)
                .filter(d -> dgArn.equals(d.path("datasetGroupArn").asText()) && "Interactions".equals(d.path("datasetType").asText()))
                .map(d -> d.path("datasetArn").asText()).findFirst().orElse(null);
        return store.stream(DATASET_IMPORT_JOB)
                .filter(j -> j.path("datasetArn").asText().equals(interactionsArn) && ACTIVE.equals(j.path("status").asText()))
                .sorted(Comparator.comparingDouble(j -> j.path("creationDateTime").asDouble()))
                .map(j -> new TrainingJob.Import(j.path("jobName").asText(), j.path("importMode").asText()))
                .toList();
    }

    /** The imports a training reads: from the last FULL one on. Call holding the store's lock. */
    static List<TrainingJob.Import> interactionImports(ResourceStore store, String dgArn) {
        List<TrainingJob.Import> all = allInteractionImports(store, dgArn);
        int start = 0;
        for (int i = 0; i < all.size(); i++) if ("FULL".equals(all.get(i).mode())) start = i;
        return all.subList(start, all.size());
    }

    private ObjectNode metrics(ObjectNode r) {
        String arn = Requests.required(r, "solutionVersionArn");
        ObjectNode v = store.get(SOLUTION_VERSION, arn);
        if (!ACTIVE.equals(v.path("status").asText())) {
            throw new ServiceException(ErrorCode.ResourceInUseException,
                    "Solution version " + arn + " is " + v.path("status").asText() + "; metrics exist once it is ACTIVE");
        }
        ObjectNode out = store.json().createObjectNode().put("solutionVersionArn", arn);
        out.set("metrics", store.metrics().path(arn).deepCopy());
        return out;
    }
}
