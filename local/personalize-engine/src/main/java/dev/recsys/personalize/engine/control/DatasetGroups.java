package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static dev.recsys.personalize.engine.control.ResourceKind.EVENT_TRACKER;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Dataset groups: the container of datasets, solutions and the event tracker. */
final class DatasetGroups implements ResourceType {

    private final ResourceStore store;
    private final Lifecycle lifecycle;

    DatasetGroups(ResourceStore store, Lifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateDatasetGroup", this::create);
        ops.add("DescribeDatasetGroup", r -> store.describe(DATASET_GROUP, r));
        ops.add("ListDatasetGroups", r -> store.list(DATASET_GROUP, r, n -> true,
                "name", "datasetGroupArn", "status", "creationDateTime", "lastUpdatedDateTime", "failureReason", "domain"));
        ops.add("DeleteDatasetGroup", this::delete);
    }

    private ObjectNode create(ObjectNode r) {
        String name = Requests.name(r);
        String arn = store.arn(DATASET_GROUP, name);
        store.requireAbsent(DATASET_GROUP, arn);
        ObjectNode dg = store.create(DATASET_GROUP, arn, name);
        Requests.copyIfPresent(r, dg, "roleArn", "kmsKeyArn", "domain");
        store.persist();
        lifecycle.start(() -> store.find(DATASET_GROUP, arn), null);
        ObjectNode out = store.json().createObjectNode().put("datasetGroupArn", arn);
        Requests.copyIfPresent(r, out, "domain");
        return out;
    }

    private ObjectNode delete(ObjectNode r) {
        String arn = Requests.required(r, "datasetGroupArn");
        store.get(DATASET_GROUP, arn);
        for (ResourceKind k : List.of(DATASET, SOLUTION, EVENT_TRACKER)) {
            if (store.stream(k).anyMatch(n -> arn.equals(n.path("datasetGroupArn").asText()))) {
                throw new ServiceException(ErrorCode.ResourceInUseException,
                        "Dataset group " + arn + " still has " + k.stateKey() + "; delete them first");
            }
        }
        return store.delete(DATASET_GROUP, r);
    }
}
