package dev.recsys.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.*;

/**
 * In-memory Personalize control plane for unit tests: resources are created CREATE PENDING and
 * move on only when the test says so ({@link #activateAll()}), like the real lifecycle.
 */
final class FakePersonalize implements PersonalizeClient {

    record Res(String arn, String name, String parent, String extra, String status, String failureReason) {
        Res with(String newStatus, String reason) {
            return new Res(arn, name, parent, extra, newStatus, reason);
        }
    }

    final Map<String, Res> groups = new LinkedHashMap<>();
    final Map<String, Res> schemas = new LinkedHashMap<>();
    final Map<String, Res> datasets = new LinkedHashMap<>();
    final Map<String, Res> trackers = new LinkedHashMap<>();
    final Map<String, Res> solutions = new LinkedHashMap<>();
    final Map<String, Res> imports = new LinkedHashMap<>();
    final Map<String, Res> versions = new LinkedHashMap<>();
    /** Filters: extra is the expression; a deleted filter is DELETE PENDING until the next activation removes it. */
    final Map<String, Res> filters = new LinkedHashMap<>();
    final Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    /** campaign arn -> [name, solutionArn, servedVersion, status, pendingVersion, updateStatus, updateReason] */
    final Map<String, String[]> campaigns = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    /** Dataset group arn -> the CreateDatasetGroup request (its kmsKeyArn and roleArn are what Describe answers). */
    final Map<String, CreateDatasetGroupRequest> groupRequests = new LinkedHashMap<>();
    AwsServiceException nextFailure;

    private int seq;

    void activateAll() {
        filters.values().removeIf(f -> f.status().startsWith("DELETE"));
        for (Map<String, Res> m : List.of(groups, datasets, trackers, solutions, imports, versions, filters)) {
            m.replaceAll((k, r) -> r.status().endsWith("FAILED") ? r : r.with("ACTIVE", null));
        }
        for (String[] c : campaigns.values()) {
            c[3] = "ACTIVE";
            if (c[4] != null && "CREATE PENDING".equals(c[5])) {
                c[2] = c[4];
                c[5] = "ACTIVE";
            }
        }
    }

    /** As {@link #activateAll()}, only for the resources whose ARN {@code arns} accepts (campaigns included). */
    void activateWhere(java.util.function.Predicate<String> arns) {
        for (Map<String, Res> m : List.of(groups, datasets, trackers, solutions, imports, versions)) {
            m.replaceAll((k, r) -> r.status().endsWith("FAILED") || !arns.test(k) ? r : r.with("ACTIVE", null));
        }
        campaigns.forEach((arn, c) -> {
            if (!arns.test(arn)) return;
            c[3] = "ACTIVE";
            if (c[4] != null && "CREATE PENDING".equals(c[5])) {
                c[2] = c[4];
                c[5] = "ACTIVE";
            }
        });
    }

    private String arn(String type, String name) {
        return "arn:aws:personalize:us-east-1:000000000000:" + type + "/" + name + (type.equals("solution-version") ? "/" + (++seq) : "");
    }

    private void call(String name) {
        calls.add(name);
        if (nextFailure != null) {
            AwsServiceException f = nextFailure;
            nextFailure = null;
            throw f;
        }
    }

    long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    static AwsServiceException throttling() {
        return (AwsServiceException) PersonalizeException.builder().statusCode(400).message("Rate exceeded")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build())
                .build();
    }

    private static <R> Res get(Map<String, Res> m, String arn, String what) {
        Res r = m.get(arn);
        if (r == null) throw ResourceNotFoundException.builder().message(what + " " + arn + " not found").build();
        return r;
    }

    private static <T> List<T> children(Map<String, Res> m, String parent, Function<Res, T> f) {
        return m.values().stream().filter(r -> parent == null || parent.equals(r.parent())).map(f).toList();
    }

    // --- filters ---

    @Override
    public CreateFilterResponse createFilter(CreateFilterRequest r) {
        call("createFilter");
        String arn = arn("filter", r.name());
        if (filters.containsKey(arn)) throw ResourceAlreadyExistsException.builder().message("filter " + arn + " exists").build();
        filters.put(arn, new Res(arn, r.name(), r.datasetGroupArn(), r.filterExpression(), "CREATE PENDING", null));
        return CreateFilterResponse.builder().filterArn(arn).build();
    }

    @Override
    public ListFiltersResponse listFilters(ListFiltersRequest r) {
        call("listFilters");
        return ListFiltersResponse.builder().filters(children(filters, r.datasetGroupArn(),
                f -> FilterSummary.builder().name(f.name()).filterArn(f.arn()).datasetGroupArn(f.parent()).status(f.status())
                        .build())).build();
    }

    @Override
    public DescribeFilterResponse describeFilter(DescribeFilterRequest r) {
        Res f = get(filters, r.filterArn(), "filter");
        return DescribeFilterResponse.builder().filter(Filter.builder().name(f.name()).filterArn(f.arn()).datasetGroupArn(f.parent())
                .filterExpression(f.extra()).status(f.status()).failureReason(f.failureReason()).build()).build();
    }

    @Override
    public DeleteFilterResponse deleteFilter(DeleteFilterRequest r) {
        call("deleteFilter");
        filters.put(r.filterArn(), get(filters, r.filterArn(), "filter").with("DELETE PENDING", null));
        return DeleteFilterResponse.builder().build();
    }

    // --- dataset group / schema / dataset / tracker / solution ---

    @Override
    public CreateDatasetGroupResponse createDatasetGroup(CreateDatasetGroupRequest r) {
        call("createDatasetGroup");
        String arn = arn("dataset-group", r.name());
        groups.put(arn, new Res(arn, r.name(), null, null, "CREATE PENDING", null));
        groupRequests.put(arn, r);
        return CreateDatasetGroupResponse.builder().datasetGroupArn(arn).build();
    }

    @Override
    public ListDatasetGroupsResponse listDatasetGroups(ListDatasetGroupsRequest r) {
        call("listDatasetGroups");
        return ListDatasetGroupsResponse.builder().datasetGroups(children(groups, null,
                g -> DatasetGroupSummary.builder().name(g.name()).datasetGroupArn(g.arn()).status(g.status()).build())).build();
    }

    @Override
    public DescribeDatasetGroupResponse describeDatasetGroup(DescribeDatasetGroupRequest r) {
        Res g = get(groups, r.datasetGroupArn(), "dataset group");
        CreateDatasetGroupRequest created = groupRequests.get(g.arn());
        return DescribeDatasetGroupResponse.builder().datasetGroup(DatasetGroup.builder().name(g.name())
                .datasetGroupArn(g.arn()).status(g.status()).failureReason(g.failureReason())
                .kmsKeyArn(created == null ? null : created.kmsKeyArn()).roleArn(created == null ? null : created.roleArn()).build()).build();
    }

    @Override
    public CreateSchemaResponse createSchema(CreateSchemaRequest r) {
        call("createSchema");
        String arn = arn("schema", r.name());
        schemas.put(arn, new Res(arn, r.name(), null, r.schema(), "ACTIVE", null));
        return CreateSchemaResponse.builder().schemaArn(arn).build();
    }

    @Override
    public ListSchemasResponse listSchemas(ListSchemasRequest r) {
        return ListSchemasResponse.builder().schemas(children(schemas, null,
                s -> DatasetSchemaSummary.builder().name(s.name()).schemaArn(s.arn()).build())).build();
    }

    @Override
    public CreateDatasetResponse createDataset(CreateDatasetRequest r) {
        call("createDataset");
        String arn = arn("dataset", r.name());
        datasets.put(arn, new Res(arn, r.name(), r.datasetGroupArn(), r.datasetType(), "CREATE PENDING", null));
        return CreateDatasetResponse.builder().datasetArn(arn).build();
    }

    @Override
    public ListDatasetsResponse listDatasets(ListDatasetsRequest r) {
        return ListDatasetsResponse.builder().datasets(children(datasets, r.datasetGroupArn(),
                d -> DatasetSummary.builder().name(d.name()).datasetArn(d.arn()).datasetType(d.extra()).status(d.status()).build())).build();
    }

    @Override
    public DescribeDatasetResponse describeDataset(DescribeDatasetRequest r) {
        Res d = get(datasets, r.datasetArn(), "dataset");
        return DescribeDatasetResponse.builder().dataset(Dataset.builder().name(d.name()).datasetArn(d.arn()).status(d.status()).build()).build();
    }

    @Override
    public CreateEventTrackerResponse createEventTracker(CreateEventTrackerRequest r) {
        call("createEventTracker");
        String arn = arn("event-tracker", r.name());
        trackers.put(arn, new Res(arn, r.name(), r.datasetGroupArn(), "tracking-" + r.name(), "CREATE PENDING", null));
        return CreateEventTrackerResponse.builder().eventTrackerArn(arn).trackingId("tracking-" + r.name()).build();
    }

    @Override
    public ListEventTrackersResponse listEventTrackers(ListEventTrackersRequest r) {
        return ListEventTrackersResponse.builder().eventTrackers(children(trackers, r.datasetGroupArn(),
                t -> EventTrackerSummary.builder().name(t.name()).eventTrackerArn(t.arn()).status(t.status()).build())).build();
    }

    @Override
    public DescribeEventTrackerResponse describeEventTracker(DescribeEventTrackerRequest r) {
        Res t = get(trackers, r.eventTrackerArn(), "event tracker");
        return DescribeEventTrackerResponse.builder().eventTracker(EventTracker.builder().name(t.name())
                .eventTrackerArn(t.arn()).trackingId(t.extra()).status(t.status()).build()).build();
    }

    @Override
    public CreateSolutionResponse createSolution(CreateSolutionRequest r) {
        call("createSolution");
        String arn = arn("solution", r.name());
        solutions.put(arn, new Res(arn, r.name(), r.datasetGroupArn(), r.recipeArn(), "CREATE PENDING", null));
        return CreateSolutionResponse.builder().solutionArn(arn).build();
    }

    @Override
    public ListSolutionsResponse listSolutions(ListSolutionsRequest r) {
        return ListSolutionsResponse.builder().solutions(children(solutions, r.datasetGroupArn(),
                s -> SolutionSummary.builder().name(s.name()).solutionArn(s.arn()).status(s.status()).build())).build();
    }

    @Override
    public DescribeSolutionResponse describeSolution(DescribeSolutionRequest r) {
        Res s = get(solutions, r.solutionArn(), "solution");
        return DescribeSolutionResponse.builder().solution(Solution.builder().name(s.name()).solutionArn(s.arn())
                .recipeArn(s.extra()).status(s.status()).build()).build();
    }

    // --- import jobs, solution versions, metrics ---

    @Override
    public CreateDatasetImportJobResponse createDatasetImportJob(CreateDatasetImportJobRequest r) {
        call("createDatasetImportJob");
        String arn = arn("dataset-import-job", r.jobName());
        imports.put(arn, new Res(arn, r.jobName(), r.datasetArn(), r.dataSource().dataLocation(), "CREATE PENDING", null));
        return CreateDatasetImportJobResponse.builder().datasetImportJobArn(arn).build();
    }

    @Override
    public ListDatasetImportJobsResponse listDatasetImportJobs(ListDatasetImportJobsRequest r) {
        return ListDatasetImportJobsResponse.builder().datasetImportJobs(children(imports, r.datasetArn(),
                j -> DatasetImportJobSummary.builder().jobName(j.name()).datasetImportJobArn(j.arn()).status(j.status()).build())).build();
    }

    @Override
    public DescribeDatasetImportJobResponse describeDatasetImportJob(DescribeDatasetImportJobRequest r) {
        Res j = get(imports, r.datasetImportJobArn(), "import job");
        return DescribeDatasetImportJobResponse.builder().datasetImportJob(DatasetImportJob.builder().jobName(j.name())
                .datasetImportJobArn(j.arn()).status(j.status()).failureReason(j.failureReason()).build()).build();
    }

    @Override
    public CreateSolutionVersionResponse createSolutionVersion(CreateSolutionVersionRequest r) {
        call("createSolutionVersion");
        String arn = arn("solution-version", get(solutions, r.solutionArn(), "solution").name());
        versions.put(arn, new Res(arn, null, r.solutionArn(), null, "CREATE PENDING", null));
        return CreateSolutionVersionResponse.builder().solutionVersionArn(arn).build();
    }

    @Override
    public ListSolutionVersionsResponse listSolutionVersions(ListSolutionVersionsRequest r) {
        return ListSolutionVersionsResponse.builder().solutionVersions(children(versions, r.solutionArn(),
                v -> SolutionVersionSummary.builder().solutionVersionArn(v.arn()).status(v.status()).build())).build();
    }

    @Override
    public DescribeSolutionVersionResponse describeSolutionVersion(DescribeSolutionVersionRequest r) {
        Res v = get(versions, r.solutionVersionArn(), "solution version");
        return DescribeSolutionVersionResponse.builder().solutionVersion(SolutionVersion.builder()
                .solutionVersionArn(v.arn()).status(v.status()).failureReason(v.failureReason()).build()).build();
    }

    @Override
    public GetSolutionMetricsResponse getSolutionMetrics(GetSolutionMetricsRequest r) {
        return GetSolutionMetricsResponse.builder().solutionVersionArn(r.solutionVersionArn())
                .metrics(metrics.getOrDefault(r.solutionVersionArn(), Map.of())).build();
    }

    // --- campaigns ---

    @Override
    public CreateCampaignResponse createCampaign(CreateCampaignRequest r) {
        call("createCampaign");
        String arn = arn("campaign", r.name());
        String solution = versions.get(r.solutionVersionArn()).parent();
        campaigns.put(arn, new String[] {r.name(), solution, r.solutionVersionArn(), "CREATE PENDING", null, null, null});
        return CreateCampaignResponse.builder().campaignArn(arn).build();
    }

    @Override
    public UpdateCampaignResponse updateCampaign(UpdateCampaignRequest r) {
        call("updateCampaign");
        String[] c = campaigns.get(r.campaignArn());
        c[4] = r.solutionVersionArn();
        c[5] = "CREATE PENDING";
        c[6] = null;
        return UpdateCampaignResponse.builder().campaignArn(r.campaignArn()).build();
    }

    @Override
    public ListCampaignsResponse listCampaigns(ListCampaignsRequest r) {
        return ListCampaignsResponse.builder().campaigns(campaigns.entrySet().stream()
                .filter(e -> r.solutionArn() == null || r.solutionArn().equals(e.getValue()[1]))
                .map(e -> CampaignSummary.builder().campaignArn(e.getKey()).name(e.getValue()[0]).status(e.getValue()[3]).build())
                .toList()).build();
    }

    @Override
    public DescribeCampaignResponse describeCampaign(DescribeCampaignRequest r) {
        String[] c = campaigns.get(r.campaignArn());
        Campaign.Builder b = Campaign.builder().campaignArn(r.campaignArn()).name(c[0]).solutionVersionArn(c[2]).status(c[3]);
        if (c[4] != null) {
            b.latestCampaignUpdate(CampaignUpdateSummary.builder().solutionVersionArn(c[4]).status(c[5]).failureReason(c[6]).build());
        }
        return DescribeCampaignResponse.builder().campaign(b.build()).build();
    }

    @Override
    public String serviceName() {
        return "personalize";
    }

    @Override
    public void close() {}
}
