package dev.recsys.glue;

import dev.recsys.common.catalog.CatalogFields;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.catalog.UserFields;
import dev.recsys.common.event.ParseResult;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.keys.UsersDataset;
import java.util.List;
import java.util.Map;

/**
 * What {@link CatalogPreparation} needs to know of one kind of catalog entity: where the stream's records and the bulk
 * files are, the dataset's columns, how a bulk CSV's cells are typed and what an accepted record becomes. The rest
 * (formats, bulk defaults, the greatest revision wins, counting) is the same for every kind and lives once, in
 * {@link CatalogPreparation}. An enum, so Spark ships it to the executors by name.
 */
public enum CatalogKind {

    ITEMS("items", S3Layout.RAW_ITEMS_PREFIX, S3Layout.CATALOG_IMPORT_PREFIX, CatalogFields.RECORD_TYPE_ITEM, ItemsDataset.COLUMNS,
            ItemsDataset.ITEM_ID, "not_an_item_record", Map.of(CatalogFields.GENRES, CsvType.MULTI_VALUE,
            CatalogFields.PRICE, CsvType.NUMBER, CatalogFields.CREATION_TIMESTAMP, CsvType.NUMBER, CatalogFields.AVAILABLE, CsvType.FLAG)) {
        @Override
        Entity entity(ParseResult result) {
            if (!(result instanceof ParseResult.AcceptedItem accepted)) return null;
            CatalogItem item = accepted.item();
            return item.isDelete() ? new Entity(item.itemId(), item.revision(), true, false, null)
                    : new Entity(item.itemId(), item.revision(), false, !item.available(), ItemsDataset.row(item));
        }
    },

    USERS("users", S3Layout.RAW_USERS_PREFIX, S3Layout.USERS_IMPORT_PREFIX, UserFields.RECORD_TYPE_USER, UsersDataset.COLUMNS,
            UsersDataset.USER_ID, "not_a_user_record", Map.of(UserFields.AGE, CsvType.NUMBER)) {
        @Override
        Entity entity(ParseResult result) {
            if (!(result instanceof ParseResult.AcceptedUser accepted)) return null;
            CatalogUser user = accepted.user();
            return new Entity(user.userId(), user.revision(), user.isDelete(), false, user.isDelete() ? null : UsersDataset.row(user));
        }
    };

    /** How a bulk CSV cell (always text) becomes the JSON value the parser expects. */
    enum CsvType { NUMBER, FLAG, MULTI_VALUE }

    /**
     * An accepted record: its entity's id and revision, whether it is a tombstone, whether it is live but unavailable
     * (items only), and its dataset row ({@link #columns()} order; null for a tombstone).
     */
    record Entity(String id, String revision, boolean deleted, boolean unavailable, List<String> row) {}

    private final String dataset;
    private final String rawPrefix;
    private final String importPrefix;
    private final String recordType;
    private final List<String> columns;
    private final String idColumn;
    private final String wrongRecordReason;
    private final Map<String, CsvType> csvTypes;

    CatalogKind(String dataset, String rawPrefix, String importPrefix, String recordType, List<String> columns, String idColumn,
                String wrongRecordReason, Map<String, CsvType> csvTypes) {
        this.dataset = dataset;
        this.rawPrefix = rawPrefix;
        this.importPrefix = importPrefix;
        this.recordType = recordType;
        this.columns = columns;
        this.idColumn = idColumn;
        this.wrongRecordReason = wrongRecordReason;
        this.csvTypes = csvTypes;
    }

    /** The accepted record as this kind's entity; null for a rejection or a valid record of another kind. */
    abstract Entity entity(ParseResult result);

    /** The folder under {@code prepared/<run-id>/} the dataset's CSV goes to, and the kind's name in the job's log. */
    String dataset() {
        return dataset;
    }

    /** Where the consumer archives the stream's records of this kind. */
    String rawPrefix() {
        return rawPrefix;
    }

    /** Where teams drop bulk files of this kind. */
    String importPrefix() {
        return importPrefix;
    }

    /** The {@code record_type} a bulk line that leaves it out gets. */
    String recordType() {
        return recordType;
    }

    /** The dataset's CSV columns, as its schema in {@code common} has them. */
    List<String> columns() {
        return columns;
    }

    String idColumn() {
        return idColumn;
    }

    /** The drop reason of a valid record of another kind (an interaction under {@code raw/users/}, say). */
    String wrongRecordReason() {
        return wrongRecordReason;
    }

    /** The CSV cells that are not plain text; {@code updated_at} is a number in every kind. */
    CsvType csvType(String field) {
        return field.equals(CatalogFields.UPDATED_AT) ? CsvType.NUMBER : csvTypes.get(field);
    }
}
