package dev.recsys.common.keys;

import dev.recsys.common.catalog.CatalogFields;
import dev.recsys.common.contract.Contract;

/**
 * The {@code items} table: PK {@code item_id}, one row per item, written only by the consumer from item records.
 * An upsert's row holds the record's fields under their {@link CatalogFields} names; a delete leaves a tombstone
 * ({@link #DELETED} true, with {@link #REVISION} and {@link #UPDATED_AT}, no other field): readers treat it as
 * absent. Every write is a PutItem conditional on {@link #REVISION} being smaller (or the row absent), so
 * replays and late records never overwrite a newer state nor bring a deleted item back.
 *
 * <p>Attribute types: {@link #CATEGORY}, {@link #BRAND} S; {@link #GENRES} L of S (may be absent when empty);
 * {@link #PRICE} N (optional); {@link #CREATION_TIMESTAMP}, {@link #UPDATED_AT} N (epoch ms); {@link #AVAILABLE},
 * {@link #DELETED} BOOL; {@link #DISPLAY} M of S (absent when empty); {@link #REVISION} S.
 */
public final class ItemKeys {

    private static final Contract.Items TABLE = Contract.get().tables().items();

    public static final String PARTITION_KEY = sameAsRecordField(TABLE.hashKey());
    /** {@code CatalogItem.revision()}: sorts like the record's update time, unique per record content. */
    public static final String REVISION = "revision";
    /** True on a tombstone (the item was deleted); false on a live item. */
    public static final String DELETED = "deleted";
    public static final String UPDATED_AT = CatalogFields.UPDATED_AT;
    public static final String CATEGORY = CatalogFields.CATEGORY;
    public static final String BRAND = CatalogFields.BRAND;
    public static final String GENRES = CatalogFields.GENRES;
    public static final String PRICE = CatalogFields.PRICE;
    public static final String CREATION_TIMESTAMP = CatalogFields.CREATION_TIMESTAMP;
    public static final String AVAILABLE = CatalogFields.AVAILABLE;
    public static final String DISPLAY = CatalogFields.DISPLAY;

    private ItemKeys() {}

    private static String sameAsRecordField(String hashKey) {
        if (!hashKey.equals(CatalogFields.ITEM_ID)) {
            throw new IllegalStateException("contract: tables.items.hash_key '" + hashKey + "' differs from the item records' field '"
                    + CatalogFields.ITEM_ID + "', which the consumer writes as the key");
        }
        return hashKey;
    }
}
