package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.CAMPAIGN;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_IMPORT_JOB;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION_VERSION;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.storage.DatasetSnapshots;
import dev.recsys.personalize.engine.storage.ModelRepository;
import dev.recsys.personalize.engine.storage.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The Personalize control plane: the {@link ResourceStore} (state.json), the {@link Lifecycle} status clock
 * and one {@link ResourceType} per resource kind, each registering its operations. Every operation runs
 * holding the store's lock; imports and trainings run one at a time on the lifecycle's worker thread.
 */
public final class ControlPlane implements AutoCloseable {

    /** Kinds whose creation does work that a restart loses; in flight at start-up they fail instead of finishing. */
    private static final Set<ResourceKind> WITH_WORK = Set.of(DATASET_IMPORT_JOB, SOLUTION_VERSION, CAMPAIGN);

    /** What the runtime needs to answer for a campaign. */
    public record CampaignView(String campaignArn, String status, String solutionVersionArn, String solutionVersionId,
                               Recipe recipe, String datasetGroupArn) {}

    private final ResourceStore store;
    private final Lifecycle lifecycle;
    private final ModelRepository models;
    private final EventTrackers trackers;
    private final Operations operations = new Operations();

    public ControlPlane(EngineConfig config, ObjectMapper json, ObjectStore objects, ModelRepository models) throws IOException {
        this.store = new ResourceStore(config, json);
        this.models = models;
        this.lifecycle = new Lifecycle(store, config.stepDelay());
        DatasetSnapshots snapshots = new DatasetSnapshots(config.stateDir().resolve("datasets"));
        Campaigns campaigns = new Campaigns(store, lifecycle, models);
        this.trackers = new EventTrackers(store, lifecycle);
        List<ResourceType> types = List.of(new DatasetGroups(store, lifecycle), new Schemas(store), new Datasets(store, lifecycle),
                new DatasetImportJobs(store, lifecycle, objects, snapshots), new Solutions(store, lifecycle),
                new SolutionVersions(store, lifecycle, snapshots, models), campaigns, trackers, new Filters());
        for (ResourceType t : types) t.register(operations);
        synchronized (store) {
            Lifecycle.recover(store, WITH_WORK);
            campaigns.recoverUpdates();
            store.persist();
        }
    }

    /** Runs one control-plane operation (the X-Amz-Target suffix) on its JSON request. */
    public ObjectNode call(String operation, ObjectNode request) {
        UnaryOperator<ObjectNode> op = operations.get(operation);
        synchronized (store) {
            return op.apply(request);
        }
    }

    public ModelRepository models() {
        return models;
    }

    public CampaignView campaign(String campaignArn) {
        synchronized (store) {
            ObjectNode c = store.find(CAMPAIGN, campaignArn);
            if (c == null) return null;
            String svArn = c.path("solutionVersionArn").asText();
            ObjectNode sv = store.find(SOLUTION_VERSION, svArn);
            Recipe recipe = sv == null ? null : Recipe.fromArn(sv.path("recipeArn").asText()).orElse(null);
            return new CampaignView(campaignArn, c.path("status").asText(), svArn, SolutionVersions.idOf(svArn), recipe,
                    sv == null ? null : sv.path("datasetGroupArn").asText());
        }
    }

    /** The dataset group an event tracker's tracking id feeds, or null when no tracker has it. */
    public String datasetGroupOfTrackingId(String trackingId) {
        synchronized (store) {
            return trackers.datasetGroupOf(trackingId);
        }
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
