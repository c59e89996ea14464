package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_IMPORT_JOB;
import static dev.recsys.personalize.engine.control.ResourceKind.SCHEMA;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.UsersDataset;
import dev.recsys.personalize.engine.catalog.ItemCatalogs;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.personalize.engine.storage.DatasetSnapshots;
import dev.recsys.personalize.engine.storage.ObjectStore;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dataset import jobs: one at a time per dataset; the work ({@link ImportJob}) reads S3 and keeps a snapshot. */
final class DatasetImportJobs implements ResourceType {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetImportJobs.class);

    private final ResourceStore store;
    private final Lifecycle lifecycle;
    private final ObjectStore objects;
    private final DatasetSnapshots snapshots;
    private final ItemCatalogs catalogs;
    private final ItemCatalogs users;
    private final Consumer<String> interactionsImported;

    DatasetImportJobs(ResourceStore store, Lifecycle lifecycle, ObjectStore objects, DatasetSnapshots snapshots, ItemCatalogs catalogs,
                      ItemCatalogs users, Consumer<String> interactionsImported) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.objects = objects;
        this.snapshots = snapshots;
        this.catalogs = catalogs;
        this.users = users;
        this.interactionsImported = interactionsImported;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateDatasetImportJob", this::create);
        ops.add("DescribeDatasetImportJob", r -> store.describe(DATASET_IMPORT_JOB, r));
        ops.add("ListDatasetImportJobs", r -> store.list(DATASET_IMPORT_JOB, r,
                Requests.matching(r, "datasetArn"),
                "datasetImportJobArn", "jobName", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "importMode"));
    }

    private ObjectNode create(ObjectNode r) {
        String jobName = Requests.required(r, "jobName");
        Requests.checkName(jobName);
        String datasetArn = Requests.required(r, "datasetArn");
        Requests.required(r, "roleArn");
        String location = r.path("dataSource").path("dataLocation").asText("");
        if (location.isEmpty()) throw ServiceException.invalid("dataSource.dataLocation is required");
        if (!location.startsWith("s3://")) throw ServiceException.invalid("dataSource.dataLocation must be an s3:// path");
        String mode = r.path("importMode").asText("FULL");
        if (!mode.equals("FULL") && !mode.equals("INCREMENTAL")) throw ServiceException.invalid("importMode must be FULL or INCREMENTAL");
        ObjectNode dataset = store.get(DATASET, datasetArn);
        Lifecycle.requireActive(dataset, "Dataset " + datasetArn);
        if (store.stream(DATASET_IMPORT_JOB).anyMatch(j -> datasetArn.equals(j.path("datasetArn").asText()) && Lifecycle.inFlight(j))) {
            throw new ServiceException(ErrorCode.ResourceInUseException,
                    "Dataset " + datasetArn + " already has an import job in progress");
        }
        String arn = store.arn(DATASET_IMPORT_JOB, jobName);
        store.requireAbsent(DATASET_IMPORT_JOB, arn);
        ObjectNode job = store.create(DATASET_IMPORT_JOB, arn, null);
        job.put("jobName", jobName).put("datasetArn", datasetArn).put("importMode", mode)
                .put("publishAttributionMetricsToS3", false);
        job.putObject("dataSource").put("dataLocation", location);
        Requests.copyIfPresent(r, job, "roleArn");
        store.persist();
        String type = dataset.path("datasetType").asText();
        String schema = store.get(SCHEMA, dataset.path("schemaArn").asText()).path("schema").asText();
        Map<String, Boolean> fields = SchemaFields.parse(schema, store.json());
        String group = dataset.path("datasetGroupArn").asText();
        // The schema was checked for its dataset type when the dataset was created (SchemaFields.requireFor).
        ImportJob.CatalogTarget catalog = switch (type.toUpperCase(java.util.Locale.ROOT)) {
            case "ITEMS" -> new ImportJob.CatalogTarget(catalogs, group, fields, SchemaFields.itemFields(schema, store.json()),
                    ItemsDataset.ITEM_ID, "items");
            case "USERS" -> new ImportJob.CatalogTarget(users, group, fields, SchemaFields.itemFields(schema, store.json()),
                    UsersDataset.USER_ID, "users");
            default -> null;
        };
        EngineConfig config = store.config();
        lifecycle.start(() -> store.find(DATASET_IMPORT_JOB, arn), () -> {
            String summary = ImportJob.run(objects, snapshots, catalog, jobName, type, fields, location, mode.equals("FULL"),
                    config.minInteractions(), config.minUsers());
            LOG.info("import {} read {}", jobName, summary);
            // Told as the job turns ACTIVE (under the store's lock: listeners only schedule work).
            return n -> {
                if (catalog == null) interactionsImported.accept(group);
            };
        });
        return store.json().createObjectNode().put("datasetImportJobArn", arn);
    }
}
