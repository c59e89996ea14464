package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_IMPORT_JOB;
import static dev.recsys.personalize.engine.control.ResourceKind.SCHEMA;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** Datasets: one per type (Interactions, Items, Users) in a dataset group, named by the group and the type. */
final class Datasets implements ResourceType {

    private final ResourceStore store;
    private final Lifecycle lifecycle;

    Datasets(ResourceStore store, Lifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateDataset", this::create);
        ops.add("DescribeDataset", r -> store.describe(DATASET, r));
        ops.add("ListDatasets", r -> store.list(DATASET, r, Requests.matching(r, "datasetGroupArn"),
                "name", "datasetArn", "datasetType", "status", "creationDateTime", "lastUpdatedDateTime"));
        ops.add("DeleteDataset", this::delete);
    }

    private ObjectNode create(ObjectNode r) {
        String name = Requests.name(r);
        String dgArn = Requests.required(r, "datasetGroupArn");
        String schemaArn = Requests.required(r, "schemaArn");
        String type = Requests.required(r, "datasetType");
        ObjectNode dg = store.get(DATASET_GROUP, dgArn);
        Lifecycle.requireActive(dg, "Dataset group " + dgArn);
        ObjectNode schema = store.get(SCHEMA, schemaArn);
        SchemaFields.requireFor(type, SchemaFields.parse(schema.path("schema").asText(), store.json()));
        String arn = store.arn(DATASET, dg.path("name").asText() + "/" + type.toUpperCase(Locale.ROOT));
        store.requireAbsent(DATASET, arn);
        ObjectNode d = store.create(DATASET, arn, name);
        d.put("datasetGroupArn", dgArn).put("datasetType", capitalised(type)).put("schemaArn", schemaArn);
        store.persist();
        lifecycle.start(() -> store.find(DATASET, arn), null);
        return store.json().createObjectNode().put("datasetArn", arn);
    }

    private ObjectNode delete(ObjectNode r) {
        String arn = Requests.required(r, "datasetArn");
        store.get(DATASET, arn);
        if (store.stream(DATASET_IMPORT_JOB).anyMatch(j -> arn.equals(j.path("datasetArn").asText()) && Lifecycle.inFlight(j))) {
            throw new ServiceException(ErrorCode.ResourceInUseException, "Dataset " + arn + " has an import in progress");
        }
        return store.delete(DATASET, r);
    }

    private static String capitalised(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }
}
