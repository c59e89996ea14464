package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.CAMPAIGN;
import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION;
import static dev.recsys.personalize.engine.control.ResourceKind.SOLUTION_VERSION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.recipes.Hyperparameters;
import dev.recsys.personalize.engine.recipes.Recipe;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Solutions: a recipe and its configuration in a dataset group, checked here so that training cannot trip on them. */
final class Solutions implements ResourceType {

    private final ResourceStore store;
    private final Lifecycle lifecycle;

    Solutions(ResourceStore store, Lifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
    }

    @Override
    public void register(Operations ops) {
        ops.add("CreateSolution", this::create);
        ops.add("DescribeSolution", this::describe);
        ops.add("ListSolutions", r -> store.list(SOLUTION, r, Requests.matching(r, "datasetGroupArn"),
                "name", "solutionArn", "status", "creationDateTime", "lastUpdatedDateTime", "recipeArn"));
        ops.add("DeleteSolution", this::delete);
    }

    static Hyperparameters hyperparameters(JsonNode solutionConfig) {
        Map<String, String> values = new LinkedHashMap<>();
        solutionConfig.path("algorithmHyperParameters").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        try {
            return Hyperparameters.from(values);
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid("Invalid algorithmHyperParameters: " + e.getMessage());
        }
    }

    static Double eventValueThreshold(JsonNode solutionConfig) {
        if (!solutionConfig.hasNonNull("eventValueThreshold")) return null;
        try {
            return Double.parseDouble(solutionConfig.get("eventValueThreshold").asText());
        } catch (NumberFormatException e) {
            throw ServiceException.invalid("eventValueThreshold must be a number");
        }
    }

    private ObjectNode create(ObjectNode r) {
        String name = Requests.name(r);
        String dgArn = Requests.required(r, "datasetGroupArn");
        if (r.path("performAutoML").asBoolean(false)) throw ServiceException.invalid("performAutoML is not supported by the local engine");
        String recipeArn = r.path("recipeArn").asText("");
        if (recipeArn.isEmpty()) throw ServiceException.invalid("recipeArn is required");
        if (Recipe.fromArn(recipeArn).isEmpty()) {
            throw ServiceException.notFound("Recipe " + recipeArn + " is not available in the local engine; supported: "
                    + Stream.of(Recipe.values()).flatMap(x -> x.names().stream()).map(n -> Recipe.ARN_PREFIX + n).toList());
        }
        store.get(DATASET_GROUP, dgArn);
        JsonNode solutionConfig = r.path("solutionConfig");
        hyperparameters(solutionConfig);
        eventValueThreshold(solutionConfig);
        String arn = store.arn(SOLUTION, name);
        store.requireAbsent(SOLUTION, arn);
        ObjectNode s = store.create(SOLUTION, arn, name);
        s.put("performHPO", false).put("performAutoML", false).put("recipeArn", recipeArn).put("datasetGroupArn", dgArn);
        Requests.copyIfPresent(r, s, "eventType", "solutionConfig");
        store.persist();
        lifecycle.start(() -> store.find(SOLUTION, arn), null);
        return store.json().createObjectNode().put("solutionArn", arn);
    }

    private ObjectNode describe(ObjectNode r) {
        String arn = Requests.required(r, "solutionArn");
        ObjectNode s = store.get(SOLUTION, arn).deepCopy();
        store.stream(SOLUTION_VERSION).filter(v -> arn.equals(v.path("solutionArn").asText()))
                .max(Comparator.comparingDouble(v -> v.path("creationDateTime").asDouble()))
                .ifPresent(v -> s.set("latestSolutionVersion", store.pick(v, "solutionVersionArn", "status", "trainingMode",
                        "trainingType", "creationDateTime", "lastUpdatedDateTime", "failureReason")));
        return store.json().createObjectNode().set("solution", s);
    }

    private ObjectNode delete(ObjectNode r) {
        String arn = Requests.required(r, "solutionArn");
        store.get(SOLUTION, arn);
        boolean training = store.stream(SOLUTION_VERSION).anyMatch(v -> arn.equals(v.path("solutionArn").asText()) && Lifecycle.inFlight(v));
        boolean served = store.stream(CAMPAIGN).anyMatch(c -> c.path("solutionVersionArn").asText().startsWith(arn + "/"));
        if (training || served) {
            throw new ServiceException(ErrorCode.ResourceInUseException,
                    "Solution " + arn + (training ? " is training" : " is served by a campaign"));
        }
        return store.delete(SOLUTION, r);
    }
}
