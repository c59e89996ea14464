package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.CAMPAIGN;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_IMPORT_JOB;
import static dev.recsys.personalize.engine.control.ResourceKind.FILTER;
import static dev.recsys.personalize.engine.control.ResourceKind.SCHEMA;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION_VERSION;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.catalog.ItemCatalogs;
import dev.recsys.personalize.engine.catalog.ItemField;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.storage.DatasetSnapshots;
import dev.recsys.personalize.engine.storage.ModelRepository;
import dev.recsys.personalize.engine.storage.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
                               Recipe recipe, String datasetGroupArn, Exploration exploration) {}

    /** What the runtime needs to apply a filter. */
    public record FilterView(String filterArn, String status, String datasetGroupArn, String expression) {}

    /** An Items or Users dataset as PutItems / PutUsers write to it. */
    public record MetadataDatasetView(String datasetArn, String datasetGroupArn, Map<String, ItemField> fields) {}

    private final ResourceStore store;
    private final Lifecycle lifecycle;
    private final ModelRepository models;
    private final EventTrackers trackers;
    private final DatasetSnapshots snapshots;
    private final ItemCatalogs catalogs;
    private final ItemCatalogs users;
    private final Operations operations = new Operations();
    private final List<Consumer<String>> importListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ControlPlane(EngineConfig config, ObjectMapper json, ObjectStore objects, ModelRepository models) throws IOException {
        this.store = new ResourceStore(config, json);
        this.models = models;
        this.lifecycle = new Lifecycle(store, config.stepDelay());
        this.snapshots = new DatasetSnapshots(config.stateDir().resolve("datasets"));
        this.catalogs = new ItemCatalogs(config.stateDir().resolve("catalogs"), json);
        this.users = new ItemCatalogs(config.stateDir().resolve("users"), json);
        Campaigns campaigns = new Campaigns(store, lifecycle, models);
        this.trackers = new EventTrackers(store, lifecycle);
        List<ResourceType> types = List.of(new DatasetGroups(store, lifecycle), new Schemas(store), new Datasets(store, lifecycle),
                new DatasetImportJobs(store, lifecycle, objects, snapshots, catalogs, users,
                        group -> importListeners.forEach(l -> l.accept(group))), new Solutions(store, lifecycle),
                new SolutionVersions(store, lifecycle, snapshots, models), campaigns, trackers, new Filters(store, lifecycle));
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
                    sv == null ? null : sv.path("datasetGroupArn").asText(), Exploration.of(c.path("campaignConfig")));
        }
    }

    /** The dataset group an event tracker's tracking id feeds, or null when no tracker has it. */
    public String datasetGroupOfTrackingId(String trackingId) {
        synchronized (store) {
            return trackers.datasetGroupOf(trackingId);
        }
    }

    public ItemCatalogs catalogs() {
        return catalogs;
    }

    /** Each group's Users dataset records, as Users imports and PutUsers left them. */
    public ItemCatalogs users() {
        return users;
    }

    /** The filter, or null when it does not exist. */
    public FilterView filter(String filterArn) {
        synchronized (store) {
            ObjectNode f = store.find(FILTER, filterArn);
            return f == null ? null : new FilterView(filterArn, f.path("status").asText(), f.path("datasetGroupArn").asText(),
                    f.path("filterExpression").asText());
        }
    }

    /** The ACTIVE dataset of that type ("Items", "Users") {@code datasetArn} names; ResourceNotFound or InvalidInput otherwise. */
    public MetadataDatasetView metadataDataset(String datasetArn, String type) {
        synchronized (store) {
            ObjectNode d = store.get(DATASET, datasetArn);
            if (!type.equals(d.path("datasetType").asText())) {
                throw ServiceException.invalid("Dataset " + datasetArn + " is a " + d.path("datasetType").asText() + " dataset, not " + type);
            }
            Lifecycle.requireActive(d, "Dataset " + datasetArn);
            String schema = store.get(SCHEMA, d.path("schemaArn").asText()).path("schema").asText();
            return new MetadataDatasetView(datasetArn, d.path("datasetGroupArn").asText(), SchemaFields.itemFields(schema, store.json()));
        }
    }

    /**
     * Tells {@code listener} the dataset group each time an interactions import turns ACTIVE. It is called under the
     * control plane's lock: it must only schedule work.
     */
    public void onInteractionsImported(Consumer<String> listener) {
        importListeners.add(listener);
    }

    /** Every dataset group with at least one ACTIVE interactions import (what a restart has to index again). */
    public List<String> groupsWithInteractions() {
        synchronized (store) {
            return store.stream(DATASET_GROUP).map(g -> g.path("datasetGroupArn").asText())
                    .filter(g -> !SolutionVersions.interactionImports(store, g).isEmpty()).toList();
        }
    }

    /** The ACTIVE interaction imports of the group that the next training would read (from the last FULL on). */
    public List<String> interactionImports(String datasetGroupArn) {
        synchronized (store) {
            return SolutionVersions.interactionImports(store, datasetGroupArn).stream().map(TrainingJob.Import::jobId).toList();
        }
    }

    /** The rows those imports took in (their snapshots). */
    public Interactions interactions(List<String> importJobIds) throws IOException {
        Interactions.Builder b = Interactions.builder();
        for (String id : importJobIds) snapshots.loadInto(id, b);
        return b.build();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
