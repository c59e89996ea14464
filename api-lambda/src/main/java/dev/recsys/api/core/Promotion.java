package dev.recsys.api.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A configured promotion: Personalize puts {@code percent} % of an answer's slots to items that pass {@code filter}
 * (bound with {@code filterValues}) and names the promotion on each of them. Personalize takes one promotion per
 * request, so a route has at most one.
 *
 * @param routes the route templates it applies to
 */
public record Promotion(String name, NamedFilter filter, Map<String, List<String>> filterValues,
                        Map<String, String> personalizeValues, int percent, Set<String> routes) {

    public Promotion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(filter, "filter");
        filterValues = Map.copyOf(filterValues);
        personalizeValues = Map.copyOf(personalizeValues);
        routes = Set.copyOf(routes);
    }
}
