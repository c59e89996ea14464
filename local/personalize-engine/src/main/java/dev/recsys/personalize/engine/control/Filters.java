package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.DATASET;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static dev.recsys.personalize.engine.control.ResourceKind.FILTER;
import static dev.recsys.personalize.engine.control.ResourceKind.SCHEMA;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.filter.FilterExpression;
import dev.recsys.common.filter.InvalidFilterExpressionException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Filters: the expression is parsed when the filter is created, so an unsupported form is refused then, with
 * Personalize's InvalidInputException; the Items fields it names must be in the group's Items schema.
 */
final class Filters implements ResourceType {

    private final ResourceStore store;
    private final Lifecycle lifecycle;

    Filters(ResourceStore store, Lifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateFilter", this::create);
        ops.add("DescribeFilter", r -> store.describe(FILTER, r));
        ops.add("ListFilters", r -> store.list(FILTER, r, Requests.matching(r, "datasetGroupArn"),
                "name", "filterArn", "datasetGroupArn", "status", "failureReason", "creationDateTime", "lastUpdatedDateTime"));
        ops.add("DeleteFilter", r -> store.delete(FILTER, r));
    }

    private ObjectNode create(ObjectNode r) {
        String name = Requests.name(r);
        String dgArn = Requests.required(r, "datasetGroupArn");
        String expression = Requests.required(r, "filterExpression");
        Lifecycle.requireActive(store.get(DATASET_GROUP, dgArn), "Dataset group " + dgArn);
        FilterExpression parsed;
        try {
            parsed = FilterExpression.parse(expression);
        } catch (InvalidFilterExpressionException e) {
            throw ServiceException.invalid("Invalid filter expression: " + e.getMessage());
        }
        checkFields(dgArn, parsed);
        String arn = store.arn(FILTER, name);
        store.requireAbsent(FILTER, arn);
        ObjectNode f = store.create(FILTER, arn, name);
        f.put("datasetGroupArn", dgArn).put("filterExpression", expression);
        store.persist();
        lifecycle.start(() -> store.find(FILTER, arn), null);
        return store.json().createObjectNode().put("filterArn", arn);
    }

    /** The Items and Users fields the expression reads must exist in the group's datasets of that type. */
    private void checkFields(String dgArn, FilterExpression parsed) {
        checkFields(dgArn, "Items", parsed.itemFields());
        checkFields(dgArn, "Users", parsed.userFields());
    }

    private void checkFields(String dgArn, String type, Set<String> fields) {
        if (fields.isEmpty()) return;
        ObjectNode dataset = store.stream(DATASET).filter(d -> dgArn.equals(d.path("datasetGroupArn").asText())
                && type.equals(d.path("datasetType").asText())).findFirst().orElse(null);
        if (dataset == null) {
            throw ServiceException.invalid("The filter expression uses " + type + " fields " + fields
                    + ", but dataset group " + dgArn + " has no " + type + " dataset");
        }
        Set<String> known = SchemaFields.parse(store.get(SCHEMA, dataset.path("schemaArn").asText()).path("schema").asText(),
                store.json()).keySet();
        Set<String> unknown = new TreeSet<>(fields);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw ServiceException.invalid("The filter expression uses fields " + unknown + " that the " + type + " schema does not have " + known);
        }
    }
}
