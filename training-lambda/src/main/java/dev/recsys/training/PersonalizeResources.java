package dev.recsys.training;

import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.UsersDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.Campaign;
import software.amazon.awssdk.services.personalize.model.CampaignSummary;
import software.amazon.awssdk.services.personalize.model.DatasetGroup;
import software.amazon.awssdk.services.personalize.model.DatasetGroupSummary;
import software.amazon.awssdk.services.personalize.model.DatasetSummary;
import software.amazon.awssdk.services.personalize.model.EventTracker;
import software.amazon.awssdk.services.personalize.model.EventTrackerSummary;
import software.amazon.awssdk.services.personalize.model.ListCampaignsResponse;
import software.amazon.awssdk.services.personalize.model.ListDatasetGroupsResponse;
import software.amazon.awssdk.services.personalize.model.ListDatasetsResponse;
import software.amazon.awssdk.services.personalize.model.ListEventTrackersResponse;
import software.amazon.awssdk.services.personalize.model.ListSchemasResponse;
import software.amazon.awssdk.services.personalize.model.ListSolutionsResponse;
import software.amazon.awssdk.services.personalize.model.DatasetSchemaSummary;
import software.amazon.awssdk.services.personalize.model.SolutionSummary;

/**
 * Finds Personalize resources by name and creates the missing ones. Every call is safe to repeat:
 * a retried or re-run task finds what the previous attempt created instead of creating it twice.
 */
final class PersonalizeResources {

    /** Where the ensure step stands: ARNs known so far and what is not ACTIVE yet. */
    record State(String datasetGroupArn, String datasetArn, String itemsDatasetArn, String usersDatasetArn, String eventTrackerArn, String trackingId,
                 List<EnsuredSolution> solutions, Map<String, String> filters, List<String> pending) {
        boolean ready() {
            return pending.isEmpty();
        }
    }

    /** A planned solution and the ARN of its Personalize solution. */
    record EnsuredSolution(SolutionPlan.Solution spec, String solutionArn) {}

    static final String DATASET_TYPE = "Interactions";
    static final String ITEMS_DATASET_TYPE = "Items";
    static final String USERS_DATASET_TYPE = "Users";

    private final PersonalizeClient personalize;
    private final TrainingConfig config;
    private final FilterResources filters;

    PersonalizeResources(PersonalizeClient personalize, TrainingConfig config) {
        this.personalize = personalize;
        this.config = config;
        this.filters = new FilterResources(personalize, config);
    }

    State ensure() {
        List<String> pending = new ArrayList<>();
        // Encrypted with the stack's key when one is configured (Personalize assumes the role to use it).
        String groupArn = findDatasetGroup().orElseGet(() -> create("dataset group " + config.datasetGroupName(),
                () -> personalize.createDatasetGroup(b -> b.name(config.datasetGroupName())
                        .kmsKeyArn(config.kmsKeyArn()).roleArn(config.datasetGroupRoleArn())).datasetGroupArn()));
        DatasetGroup group = personalize.describeDatasetGroup(b -> b.datasetGroupArn(groupArn)).datasetGroup();
        requireKey(group);
        if (!active("dataset group " + group.name(), group.status(), group.failureReason(), pending)) {
            return new State(groupArn, null, null, null, null, null, List.of(), Map.of(), pending);
        }

        String schemaArn = findSchema(config.schemaName()).orElseGet(() -> create("schema " + config.schemaName(),
                () -> personalize.createSchema(b -> b.name(config.schemaName())
                        .schema(InteractionsDataset.schemaJson(config.includeEventValue()))).schemaArn()));
        String datasetArn = findDataset(groupArn, DATASET_TYPE).orElseGet(() -> create("dataset " + config.datasetName(),
                () -> personalize.createDataset(b -> b.name(config.datasetName()).schemaArn(schemaArn)
                        .datasetGroupArn(groupArn).datasetType(DATASET_TYPE)).datasetArn()));
        var dataset = personalize.describeDataset(b -> b.datasetArn(datasetArn)).dataset();
        boolean datasetsActive = active("dataset " + dataset.name(), dataset.status(), null, pending);

        // The catalogs: always there (possibly empty), so filters on Items fields and IF CurrentUser conditions can be
        // created before the first import.
        int pendingBefore = pending.size();
        String itemsDatasetArn = ensureDataset(groupArn, ITEMS_DATASET_TYPE, config.itemsSchemaName(), ItemsDataset.schemaJson(),
                config.itemsDatasetName(), pending);
        String usersDatasetArn = ensureDataset(groupArn, USERS_DATASET_TYPE, config.usersSchemaName(), UsersDataset.schemaJson(),
                config.usersDatasetName(), pending);
        datasetsActive &= pending.size() == pendingBefore;

        // Filters name the datasets' fields: they are made once the datasets exist.
        Map<String, String> filterArns = datasetsActive ? filters.ensure(groupArn, pending) : Map.of();

        String trackerArn = findEventTracker(groupArn).orElseGet(() -> create("event tracker " + config.eventTrackerName(),
                () -> personalize.createEventTracker(b -> b.name(config.eventTrackerName()).datasetGroupArn(groupArn))
                        .eventTrackerArn()));
        EventTracker tracker = personalize.describeEventTracker(b -> b.eventTrackerArn(trackerArn)).eventTracker();
        active("event tracker " + tracker.name(), tracker.status(), null, pending);

        List<EnsuredSolution> solutions = new ArrayList<>();
        for (SolutionPlan.Solution spec : config.solutions().solutions()) {
            String name = config.solutionName(spec.name());
            String solutionArn = findSolution(groupArn, name).orElseGet(() -> create("solution " + name,
                    // The pipeline trains on its own schedule: no automatic training, no HPO cost.
                    () -> personalize.createSolution(b -> b.name(name).datasetGroupArn(groupArn).recipeArn(spec.recipeArn())
                            .performAutoTraining(false).performHPO(false)).solutionArn()));
            var solution = personalize.describeSolution(b -> b.solutionArn(solutionArn)).solution();
            if (!spec.recipeArn().equals(solution.recipeArn())) {
                throw new ResourceFailedException("solution " + name + " uses recipe " + solution.recipeArn()
                        + " but the " + spec.role().label() + " solution " + spec.name() + " is configured with "
                        + spec.recipeArn() + "; configure its recipe again or delete the solution (and its campaign)");
            }
            active("solution " + name, solution.status(), null, pending);
            solutions.add(new EnsuredSolution(spec, solutionArn));
        }
        return new State(groupArn, datasetArn, itemsDatasetArn, usersDatasetArn, trackerArn, tracker.trackingId(), solutions, filterArns,
                pending);
    }

    /**
     * Finds (by type) or creates a metadata dataset and its schema.
     *
     * @return the dataset's ARN; while it is not ACTIVE, {@code pending} says so
     */
    private String ensureDataset(String groupArn, String type, String schemaName, String schemaJson, String datasetName,
                                 List<String> pending) {
        String schemaArn = findSchema(schemaName).orElseGet(() -> create("schema " + schemaName,
                () -> personalize.createSchema(b -> b.name(schemaName).schema(schemaJson)).schemaArn()));
        String arn = findDataset(groupArn, type).orElseGet(() -> create("dataset " + datasetName,
                () -> personalize.createDataset(b -> b.name(datasetName).schemaArn(schemaArn).datasetGroupArn(groupArn)
                        .datasetType(type)).datasetArn()));
        var dataset = personalize.describeDataset(b -> b.datasetArn(arn)).dataset();
        active("dataset " + dataset.name(), dataset.status(), null, pending);
        return arn;
    }

    /**
     * A dataset group keeps the key it was created with: one found by name that is not encrypted with the configured
     * key (created before encryption was configured, or with another key) is an error, never silently kept.
     */
    private void requireKey(DatasetGroup group) {
        String wanted = config.kmsKeyArn();
        if (wanted == null || wanted.equals(group.kmsKeyArn())) return;
        throw new ResourceFailedException("dataset group " + group.name() + " is "
                + (group.kmsKeyArn() == null ? "not encrypted with a KMS key of its own" : "encrypted with KMS key " + group.kmsKeyArn())
                + " but the pipeline is configured with " + wanted + "; Personalize cannot change a dataset group's key:"
                + " delete the dataset group (with its datasets, solutions, campaigns and event tracker) to have it created"
                + " again encrypted, or configure the key it has");
    }

    Optional<Campaign> findCampaign(String solutionArn, String name) {
        String token = null;
        do {
            String t = token;
            ListCampaignsResponse page = personalize.listCampaigns(b -> b.solutionArn(solutionArn).nextToken(t).maxResults(100));
            for (CampaignSummary c : page.campaigns()) {
                if (c.name().equals(name)) {
                    return Optional.of(personalize.describeCampaign(b -> b.campaignArn(c.campaignArn())).campaign());
                }
            }
            token = page.nextToken();
        } while (token != null);
        return Optional.empty();
    }

    /** The ARN of the campaign {@code <prefix>-<solution>}, found by name only: nothing is created. */
    Optional<String> findCampaignArn(String solution) {
        return findDatasetGroup().flatMap(group -> findSolution(group, config.solutionName(solution)))
                .flatMap(solutionArn -> findCampaign(solutionArn, config.campaignName(solution))).map(Campaign::campaignArn);
    }

    private Optional<String> findDatasetGroup() {
        return find(t -> personalize.listDatasetGroups(b -> b.nextToken(t).maxResults(100)),
                ListDatasetGroupsResponse::datasetGroups, ListDatasetGroupsResponse::nextToken,
                (DatasetGroupSummary g) -> g.name().equals(config.datasetGroupName()), DatasetGroupSummary::datasetGroupArn);
    }

    private Optional<String> findSchema(String name) {
        return find(t -> personalize.listSchemas(b -> b.nextToken(t).maxResults(100)),
                ListSchemasResponse::schemas, ListSchemasResponse::nextToken,
                (DatasetSchemaSummary s) -> s.name().equals(name), DatasetSchemaSummary::schemaArn);
    }

    /** A dataset group holds at most one dataset per type. */
    private Optional<String> findDataset(String groupArn, String type) {
        return find(t -> personalize.listDatasets(b -> b.datasetGroupArn(groupArn).nextToken(t).maxResults(100)),
                ListDatasetsResponse::datasets, ListDatasetsResponse::nextToken,
                (DatasetSummary d) -> type.equalsIgnoreCase(d.datasetType()), DatasetSummary::datasetArn);
    }

    private Optional<String> findEventTracker(String groupArn) {
        return find(t -> personalize.listEventTrackers(b -> b.datasetGroupArn(groupArn).nextToken(t).maxResults(100)),
                ListEventTrackersResponse::eventTrackers, ListEventTrackersResponse::nextToken,
                (EventTrackerSummary e) -> e.name().equals(config.eventTrackerName()), EventTrackerSummary::eventTrackerArn);
    }

    private Optional<String> findSolution(String groupArn, String name) {
        return find(t -> personalize.listSolutions(b -> b.datasetGroupArn(groupArn).nextToken(t).maxResults(100)),
                ListSolutionsResponse::solutions, ListSolutionsResponse::nextToken,
                (SolutionSummary s) -> s.name().equals(name), SolutionSummary::solutionArn);
    }

    private static <P, T> Optional<String> find(Function<String, P> list, Function<P, List<T>> items,
                                                Function<P, String> next, Predicate<T> match, Function<T, String> arn) {
        String token = null;
        do {
            P page = list.apply(token);
            for (T item : items.apply(page)) {
                if (match.test(item)) return Optional.of(arn.apply(item));
            }
            token = next.apply(page);
        } while (token != null);
        return Optional.empty();
    }

    private String create(String what, java.util.function.Supplier<String> creator) {
        if (config.terraformOwned()) {
            throw new ResourceFailedException(what + " does not exist, and PERSONALIZE_RESOURCES_OWNER=terraform"
                    + " says Terraform creates it: apply the Terraform stack first");
        }
        return creator.get();
    }

    private static boolean active(String what, String status, String failureReason, List<String> pending) {
        if (Statuses.isActive(Statuses.require(what, status, failureReason))) return true;
        pending.add(what + " is " + status);
        return false;
    }
}
