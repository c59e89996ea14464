package dev.recsys.api.catalog;

import dev.recsys.common.filter.FilterItem;
import dev.recsys.common.keys.ItemsDataset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** A dataset row (the values the pipeline imports) as filters read it: categorical columns split, the rest numbers. */
final class DatasetRows {

    private static final Pattern SEPARATOR = Pattern.compile(Pattern.quote(ItemsDataset.MULTI_VALUE_SEPARATOR));

    private DatasetRows() {}

    /** @param values in {@code columns} order; the first column (the id) and empty values are left out */
    static FilterItem filterItem(List<String> columns, List<String> values, Predicate<String> categorical) {
        Map<String, List<String>> c = new HashMap<>();
        Map<String, Double> n = new HashMap<>();
        for (int i = 1; i < columns.size(); i++) {
            String v = values.get(i);
            if (v.isEmpty()) continue;
            if (categorical.test(columns.get(i))) c.put(columns.get(i), Arrays.asList(SEPARATOR.split(v)));
            else n.put(columns.get(i), Double.parseDouble(v));
        }
        return new FilterItem(c, n);
    }
}
