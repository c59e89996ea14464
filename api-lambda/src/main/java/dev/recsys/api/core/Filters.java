package dev.recsys.api.core;

import dev.recsys.common.filter.FilterValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The configured filters by name, and the default that user recommendations apply when a request names none (the
 * deployment's "exclude purchased and unavailable items"). Turns a request's filter and values into a
 * {@link FilterChoice}, or a typed rejection: unknown filter (naming the configured ones), missing or extra
 * parameter values, values beyond Personalize's limits, or a filter the route cannot evaluate.
 */
public final class Filters {

    public static final Filters NONE = new Filters(Map.of(), null);

    private final Map<String, NamedFilter> byName;
    private final NamedFilter defaultUserFilter;

    /** @param defaultUserFilter null: user recommendations are unfiltered unless the request names a filter */
    public Filters(Map<String, NamedFilter> byName, String defaultUserFilter) {
        this.byName = Collections.unmodifiableMap(new TreeMap<>(byName));
        if (defaultUserFilter == null) {
            this.defaultUserFilter = null;
        } else {
            this.defaultUserFilter = byName.get(defaultUserFilter);
            if (this.defaultUserFilter == null) {
                throw new IllegalArgumentException("the default user filter " + defaultUserFilter + " is not one of the filters "
                        + this.byName.keySet());
            }
            if (!parameters(this.defaultUserFilter).isEmpty()) {
                throw new IllegalArgumentException("the default user filter " + defaultUserFilter
                        + " has parameters " + parameters(this.defaultUserFilter) + ": a request that names no filter has no values for them");
            }
            if (this.defaultUserFilter.expression().usesCurrentItem()) {
                throw new IllegalArgumentException("the default user filter " + defaultUserFilter + " uses CurrentItem: user recommendations have none");
            }
        }
    }

    public Map<String, NamedFilter> all() {
        return byName;
    }

    public NamedFilter defaultUserFilter() {
        return defaultUserFilter;
    }

    public NamedFilter get(String name) {
        return byName.get(name);
    }

    /**
     * What a route may give a filter: the user (null when the request names none), the current item (related items'
     * seed, else null), and whether the default filter applies (user recommendations).
     */
    public record Scope(String userId, String currentItemId, boolean userRecommendations) {}

    /** @param name null: the default filter for user recommendations, else none */
    public FilterChoice choose(String name, Map<String, List<String>> values, Scope scope) {
        if (name == null) {
            if (!values.isEmpty()) {
                throw invalid("invalid_filter_values", "filter_values needs a filter");
            }
            return scope.userRecommendations() && defaultUserFilter != null ? bind(defaultUserFilter, Map.of(), scope) : FilterChoice.NONE;
        }
        NamedFilter f = byName.get(name);
        if (f == null) {
            throw invalid("unknown_filter", "filter must be one of " + byName.keySet());
        }
        return bind(f, values, scope);
    }

    /** Checks configured values (a promotion's) the same way as a request's. */
    public FilterChoice bindConfigured(NamedFilter f, Map<String, List<String>> values) {
        return bind(f, values, new Scope("configured", "configured", false));
    }

    private FilterChoice bind(NamedFilter f, Map<String, List<String>> values, Scope scope) {
        Set<String> parameters = parameters(f);
        Set<String> missing = new TreeSet<>(parameters);
        missing.removeAll(values.keySet());
        if (!missing.isEmpty()) {
            throw invalid("missing_filter_values", "filter " + f.name() + " needs filter_values for " + missing);
        }
        Set<String> extra = new TreeSet<>(values.keySet());
        extra.removeAll(parameters);
        if (!extra.isEmpty()) {
            throw invalid("invalid_filter_values", "filter " + f.name() + " has no parameter " + extra
                    + (parameters.isEmpty() ? " (it takes none)" : "; its parameters are " + new TreeSet<>(parameters)));
        }
        if (f.expression().usesInteractions() && scope.userId() == null) {
            throw invalid("invalid_filter", "filter " + f.name() + " reads the user's interactions: name the user (user_id)");
        }
        if (f.expression().usesCurrentItem() && scope.currentItemId() == null) {
            throw invalid("invalid_filter", "filter " + f.name() + " uses CurrentItem: only related items (/items/{itemId}/similar) have one");
        }
        Map<String, List<String>> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        try {
            // Personalize's limits first, then the expression's own demands (a number where it compares numbers).
            Map<String, String> personalize = FilterValues.format(copy);
            return new FilterChoice(f, copy, personalize, f.expression().bind(copy));
        } catch (IllegalArgumentException e) {
            throw invalid("invalid_filter_values", "filter " + f.name() + ": " + e.getMessage());
        }
    }

    private static Set<String> parameters(NamedFilter f) {
        return f.expression().parameters();
    }

    private static RequestRejected invalid(String code, String message) {
        return new RequestRejected(RequestRejected.Kind.INVALID, code, message);
    }
}
