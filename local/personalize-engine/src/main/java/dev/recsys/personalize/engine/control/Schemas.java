package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.SCHEMA;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Schemas (Avro record JSON): usable at once, so they have no status and no lifecycle. */
final class Schemas implements ResourceType {

    private final ResourceStore store;

    Schemas(ResourceStore store) {
        this.store = store;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateSchema", this::create);
        ops.add("DescribeSchema", r -> store.describe(SCHEMA, r));
        ops.add("ListSchemas", r -> store.list(SCHEMA, r, n -> true,
                "name", "schemaArn", "creationDateTime", "lastUpdatedDateTime", "domain"));
        ops.add("DeleteSchema", this::delete);
    }

    private ObjectNode create(ObjectNode r) {
        String name = Requests.name(r);
        String schema = Requests.required(r, "schema");
        SchemaFields.parse(schema, store.json());
        String arn = store.arn(SCHEMA, name);
        store.requireAbsent(SCHEMA, arn);
        ObjectNode s = store.json().createObjectNode().put("name", name).put("schemaArn", arn).put("schema", schema)
                .put("creationDateTime", ResourceStore.now()).put("lastUpdatedDateTime", ResourceStore.now());
        Requests.copyIfPresent(r, s, "domain");
        store.put(SCHEMA, arn, s);
        store.persist();
        return store.json().createObjectNode().put("schemaArn", arn);
    }

    private ObjectNode delete(ObjectNode r) {
        String arn = Requests.required(r, "schemaArn");
        store.get(SCHEMA, arn);
        if (store.stream(DATASET).anyMatch(d -> arn.equals(d.path("schemaArn").asText()))) {
            throw new ServiceException(ErrorCode.ResourceInUseException, "Schema " + arn + " is used by a dataset");
        }
        return store.delete(SCHEMA, r);
    }
}
