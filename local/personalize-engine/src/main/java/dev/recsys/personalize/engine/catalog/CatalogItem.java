package dev.recsys.personalize.engine.catalog;

import dev.recsys.common.filter.FilterItem;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.UsersDataset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One item of a dataset group's catalog (or one user of its Users dataset, whose id is then {@code itemId}): its raw
 * column values (for {@code metadataColumns}) and the view a filter reads, derived once from the dataset's schema
 * when the record arrives.
 *
 * @param columns upper-case column name → value as imported (categorical values joined with {@code |})
 */
public record CatalogItem(String itemId, Map<String, String> columns, FilterItem filter) {

    private static final Pattern SEPARATOR = Pattern.compile(Pattern.quote(ItemsDataset.MULTI_VALUE_SEPARATOR));

    public CatalogItem {
        columns = Map.copyOf(columns);
    }

    /**
     * @throws IllegalArgumentException for a column outside the schema or a numeric field that is not a number
     */
    public static CatalogItem of(String itemId, Map<String, String> raw, Map<String, ItemField> fields) {
        Map<String, String> columns = new TreeMap<>();
        Map<String, List<String>> categorical = new LinkedHashMap<>();
        Map<String, Double> numeric = new LinkedHashMap<>();
        raw.forEach((name, value) -> {
            String column = name.toUpperCase(Locale.ROOT);
            ItemField field = fields.get(column);
            if (field == null) throw new IllegalArgumentException("field " + name + " is not in the schema " + fields.keySet());
            if (value == null || value.isBlank() || column.equals(ItemsDataset.ITEM_ID) || column.equals(UsersDataset.USER_ID)) return;
            columns.put(column, value);
            if (field.numeric()) {
                try {
                    numeric.put(column, Double.parseDouble(value.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("field " + column + " is numeric; '" + value + "' is not a number");
                }
            } else if (field.categorical()) {
                categorical.put(column, Arrays.stream(SEPARATOR.split(value.trim())).map(String::trim).filter(v -> !v.isEmpty()).toList());
            }
        });
        return new CatalogItem(itemId, columns, new FilterItem(categorical, numeric));
    }
}
