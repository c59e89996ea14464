package dev.recsys.common.catalog;

/**
 * The field names of an item record ({@code "record_type": "item"}) on the stream, which are also the lines of the
 * raw JSON Lines under {@code raw/items/} and the attribute names of the {@code items} table ({@code ItemKeys}).
 */
public final class CatalogFields {

    /** The value of {@code record_type} that marks an item record. */
    public static final String RECORD_TYPE_ITEM = "item";

    public static final String ITEM_ID = "item_id";
    /** {@code upsert} or {@code delete} ({@link CatalogItem.Operation}). */
    public static final String OPERATION = "operation";
    /** When the producer changed the item, epoch ms: orders the records of one item (later wins). */
    public static final String UPDATED_AT = "updated_at";

    // Upserts only
    public static final String CATEGORY = "category";
    public static final String BRAND = "brand";
    /** A list of categorical values (Personalize joins them with '|'). */
    public static final String GENRES = "genres";
    public static final String PRICE = "price";
    /** When the item entered the catalog, epoch ms (Personalize's CREATION_TIMESTAMP, in seconds there). */
    public static final String CREATION_TIMESTAMP = "creation_timestamp";
    /** Whether the item may be recommended now (filters exclude unavailable items). */
    public static final String AVAILABLE = "available";
    /** Free-form display strings (title, image URL, …): stored and archived, never used to train. */
    public static final String DISPLAY = "display";

    private CatalogFields() {}
}
