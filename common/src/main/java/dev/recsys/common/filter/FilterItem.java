package dev.recsys.common.filter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One item's Items-dataset values (or one user's Users-dataset values, for {@code IF CurrentUser}) as a filter sees them: categorical fields as their values (a multi-value field
 * has several), numeric fields as numbers. Field names are upper-cased, as filter expressions compare them
 * without regard to case ({@code Items.genres} is {@code Items.GENRES}).
 */
public record FilterItem(Map<String, List<String>> categorical, Map<String, Double> numeric) {

    /** An item the catalog does not know: no INCLUDE keeps it, no EXCLUDE on its fields drops it. */
    public static final FilterItem EMPTY = new FilterItem(Map.of(), Map.of());

    public FilterItem {
        Map<String, List<String>> c = new TreeMap<>();
        categorical.forEach((k, v) -> c.put(k.toUpperCase(Locale.ROOT), List.copyOf(v)));
        Map<String, Double> n = new TreeMap<>();
        numeric.forEach((k, v) -> {
            if (v != null) n.put(k.toUpperCase(Locale.ROOT), v);
        });
        categorical = Map.copyOf(c);
        numeric = Map.copyOf(n);
    }

    List<String> values(String field) {
        return categorical.getOrDefault(field, List.of());
    }

    Double number(String field) {
        return numeric.get(field);
    }
}
