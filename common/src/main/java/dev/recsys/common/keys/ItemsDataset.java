package dev.recsys.common.keys;

import dev.recsys.common.catalog.CatalogItem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Personalize Items dataset the pipeline prepares from the catalog: the CSV columns the Glue job writes, the
 * schema the training Lambda creates and the field names filter expressions use ({@code Items.CATEGORY}) come from
 * this one list, so header, schema and filters cannot drift apart. Categorical fields hold {@code |}-separated
 * values (Personalize's multi-value form); {@code AVAILABLE} is categorical {@code true}/{@code false}, so a filter
 * can exclude unavailable items ({@code EXCLUDE ItemID WHERE Items.AVAILABLE IN ("false")}).
 */
public final class ItemsDataset {

    public static final String ITEM_ID = "ITEM_ID";
    public static final String CATEGORY = "CATEGORY";
    public static final String BRAND = "BRAND";
    public static final String GENRES = "GENRES";
    public static final String PRICE = "PRICE";
    public static final String AVAILABLE = "AVAILABLE";
    /** Epoch seconds (the catalog's creation time is epoch ms). */
    public static final String CREATION_TIMESTAMP = "CREATION_TIMESTAMP";

    public static final List<String> COLUMNS = List.of(ITEM_ID, CATEGORY, BRAND, GENRES, PRICE, AVAILABLE, CREATION_TIMESTAMP);
    /** Personalize's separator of the values of one categorical field. */
    public static final String MULTI_VALUE_SEPARATOR = "|";

    private ItemsDataset() {}

    /** The Avro schema of {@link #COLUMNS}, as CreateSchema takes it. */
    public static String schemaJson() {
        return DatasetSchemas.schemaJson("Items", COLUMNS, ItemsDataset::avroType, ItemsDataset::isCategorical);
    }

    public static boolean isCategorical(String column) {
        return switch (column) {
            case CATEGORY, BRAND, GENRES, AVAILABLE -> true;
            default -> false;
        };
    }

    private static String avroType(String column) {
        return switch (column) {
            case ITEM_ID, AVAILABLE -> "\"string\"";
            case PRICE -> "[\"null\",\"float\"]";
            case CREATION_TIMESTAMP -> "\"long\"";
            default -> "[\"null\",\"string\"]";
        };
    }

    /** One CSV row of a live item, in {@link #COLUMNS} order; an absent optional field is the empty string. */
    public static List<String> row(CatalogItem item) {
        if (item.isDelete()) throw new IllegalArgumentException("a deleted item has no row: " + item.itemId());
        return DatasetSchemas.row(COLUMNS, values(item));
    }

    /**
     * PutItems' {@code properties} of a live item: the schema's fields but ITEM_ID, named in camel case as
     * Personalize requires ({@code CREATION_TIMESTAMP} → {@code creationTimestamp}), absent optionals left out.
     */
    public static Map<String, String> properties(CatalogItem item) {
        Map<String, String> out = new LinkedHashMap<>();
        values(item).forEach((column, value) -> {
            if (!column.equals(ITEM_ID)) out.put(camelCase(column), value);
        });
        return out;
    }

    /** The schema column a PutItems property names: {@code creationTimestamp} → {@code CREATION_TIMESTAMP}. */
    public static String column(String property) {
        return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** A schema column as PutItems and PutUsers name the property: {@code CREATION_TIMESTAMP} → {@code creationTimestamp}. */
    static String camelCase(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static Map<String, String> values(CatalogItem item) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(ITEM_ID, item.itemId());
        if (item.category() != null) v.put(CATEGORY, item.category());
        if (item.brand() != null) v.put(BRAND, item.brand());
        if (!item.genres().isEmpty()) v.put(GENRES, String.join(MULTI_VALUE_SEPARATOR, item.genres()));
        if (item.price() != null) v.put(PRICE, java.math.BigDecimal.valueOf(item.price()).toPlainString()); // never 1.0E9
        v.put(AVAILABLE, Boolean.toString(item.available()));
        v.put(CREATION_TIMESTAMP, Long.toString(Math.floorDiv(item.creationTimestamp(), 1000L)));
        return v;
    }
}
