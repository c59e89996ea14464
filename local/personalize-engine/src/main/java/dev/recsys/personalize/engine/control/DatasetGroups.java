package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static dev.recsys.personalize.engine.control.ResourceKind.EVENT_TRACKER;
import static dev.recsys.personalize.engine.control.ResourceKind.FILTER;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/** Dataset groups: the container of datasets, solutions and the event tracker, optionally encrypted with a KMS key. */
final class DatasetGroups implements ResourceType {

    // CreateDatasetGroup's patterns in the Personalize API reference.
    static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws.*:kms:.*:[0-9]{12}:key/.*");
    static final Pattern ROLE_ARN = Pattern.compile("arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");

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
        checkEncryption(r);
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

    /**
     * As Personalize takes them: a KMS key to encrypt the datasets with only together with the role it assumes to use
     * the key, and the role only with a key; both ARNs in the API's own patterns and lengths. The key itself is not
     * used offline (the engine's state is local); Describe returns both as given.
     */
    private static void checkEncryption(ObjectNode r) {
        String key = optionalText(r, "kmsKeyArn");
        String role = optionalText(r, "roleArn");
        if (key != null && role == null) {
            throw ServiceException.invalid("A roleArn that can use the KMS key is required when kmsKeyArn is specified");
        }
        if (role != null && key == null) {
            throw ServiceException.invalid("roleArn is only valid when a kmsKeyArn is also specified");
        }
        if (key != null && (key.length() > 2048 || !KMS_KEY_ARN.matcher(key).matches())) {
            throw ServiceException.invalid("kmsKeyArn '" + key + "' must match " + KMS_KEY_ARN.pattern() + " and have at most 2048 characters");
        }
        if (role != null && (role.length() > 256 || !ROLE_ARN.matcher(role).matches())) {
            throw ServiceException.invalid("roleArn '" + role + "' must match " + ROLE_ARN.pattern() + " and have at most 256 characters");
        }
    }

    /** Absent or null: null; present, it must be a non-empty string. */
    private static String optionalText(ObjectNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual() || v.asText().isEmpty()) throw ServiceException.invalid(field + " must be a non-empty string");
        return v.asText();
    }

    private ObjectNode delete(ObjectNode r) {
        String arn = Requests.required(r, "datasetGroupArn");
        store.get(DATASET_GROUP, arn);
        for (ResourceKind k : List.of(DATASET, SOLUTION, EVENT_TRACKER, FILTER)) {
            if (store.stream(k).anyMatch(n -> arn.equals(n.path("datasetGroupArn").asText()))) {
                throw new ServiceException(ErrorCode.ResourceInUseException,
                        "Dataset group " + arn + " still has " + k.stateKey() + "; delete them first");
            }
        }
        return store.delete(DATASET_GROUP, r);
    }
}
