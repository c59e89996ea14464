package dev.recsys.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.filter.FilterExpression;
import dev.recsys.common.filter.InvalidFilterExpressionException;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The named Personalize filters a deployment defines (Terraform's {@code filters} variable → the {@code FILTERS}
 * variable, a JSON object name → expression). The pipeline creates each as the filter {@code <prefix>-<name>} in
 * the dataset group; the API calls it by that ARN. Every expression is parsed here with the same language the API and
 * the offline engine use, so a typo fails the Lambda's configuration, not the first request that names the filter.
 */
public record FilterPlan(Map<String, String> expressions) {

    public static final FilterPlan NONE = new FilterPlan(Map.of());

    /** Personalize's default quota of filters per dataset group. */
    static final int MAX_FILTERS = 10;
    /** Personalize's limit on a filter expression. */
    static final int MAX_EXPRESSION = 2500;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,22}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public FilterPlan {
        if (expressions.size() > MAX_FILTERS) {
            throw new IllegalArgumentException("at most " + MAX_FILTERS + " filters per dataset group (Personalize's quota), got "
                    + expressions.size());
        }
        Map<String, String> copy = new LinkedHashMap<>();
        expressions.forEach((name, expression) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("filter name must match " + NAME + ", got '" + name + "'");
            }
            if (expression == null || expression.isBlank() || expression.length() > MAX_EXPRESSION) {
                throw new IllegalArgumentException("filter " + name + ": the expression must be 1 to " + MAX_EXPRESSION + " characters");
            }
            try {
                FilterExpression.parse(expression);
            } catch (InvalidFilterExpressionException e) {
                throw new IllegalArgumentException("filter " + name + ": " + e.getMessage(), e);
            }
            copy.put(name, expression);
        });
        expressions = Collections.unmodifiableMap(copy);
    }

    /** {@code {"exclude-purchased": "EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (\"purchase\")"}}; blank: none. */
    public static FilterPlan parse(String json) {
        if (json == null || json.isBlank()) return NONE;
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("filters must be a JSON object of name -> expression: " + e.getMessage());
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException("filters must be a JSON object of name -> expression");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("filter " + e.getKey() + ": the expression must be a string, got " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return new FilterPlan(out);
    }
}
