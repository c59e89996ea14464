package dev.recsys.api.core;

import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.common.filter.ItemFilter;
import java.util.List;
import java.util.Map;

/**
 * The filter one request applies, checked against its configuration: the filter (null: none), the values of its
 * parameters as the client sent them, the same in Personalize's {@code filterValues} form, and the expression bound
 * to them, which filters fallback answers.
 */
public record FilterChoice(NamedFilter filter, Map<String, List<String>> values, Map<String, String> personalizeValues,
                           ItemFilter bound) {

    public static final FilterChoice NONE = new FilterChoice(null, Map.of(), Map.of(), null);

    public FilterChoice {
        values = Map.copyOf(values);
        personalizeValues = Map.copyOf(personalizeValues);
    }

    public boolean isNone() {
        return filter == null;
    }

    public String arn() {
        return filter == null ? null : filter.arn();
    }

    /** This filter and its values in a cache field: one entry per filter and values. */
    public String cacheField() {
        return RecommendationCacheKeys.filterPart(filter == null ? null : filter.name(), values);
    }

    /** Whether evaluating it needs the items' catalog fields (its own, or the current item's). */
    boolean needsCatalog() {
        return filter != null && (!filter.expression().itemFields().isEmpty() || filter.expression().usesCurrentItem());
    }

    /** Whether a clause applies only to some users ({@code IF CurrentUser...}): the user's Users values are needed. */
    boolean needsUser() {
        return filter != null && filter.expression().usesCurrentUser();
    }

    boolean needsHistory() {
        return filter != null && filter.expression().usesInteractions();
    }
}
