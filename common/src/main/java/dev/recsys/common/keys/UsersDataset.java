package dev.recsys.common.keys;

import dev.recsys.common.catalog.CatalogUser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Personalize Users dataset the pipeline prepares from user records: the CSV columns the Glue job writes, the
 * schema the training Lambda creates, PutUsers' properties and the fields filter conditions read
 * ({@code IF CurrentUser.MEMBERSHIP IN ("free")}) all come from this one list, as {@link ItemsDataset} does for items.
 */
public final class UsersDataset {

    public static final String USER_ID = "USER_ID";
    public static final String SEGMENT = "SEGMENT";
    public static final String MEMBERSHIP = "MEMBERSHIP";
    public static final String AGE = "AGE";

    public static final List<String> COLUMNS = List.of(USER_ID, SEGMENT, MEMBERSHIP, AGE);

    private UsersDataset() {}

    /** The Avro schema of {@link #COLUMNS}, as CreateSchema takes it (Personalize needs one metadata field or more). */
    public static String schemaJson() {
        return DatasetSchemas.schemaJson("Users", COLUMNS, UsersDataset::avroType, UsersDataset::isCategorical);
    }

    public static boolean isCategorical(String column) {
        return column.equals(SEGMENT) || column.equals(MEMBERSHIP);
    }

    private static String avroType(String column) {
        return switch (column) {
            case USER_ID -> "\"string\"";
            case AGE -> "[\"null\",\"int\"]";
            default -> "[\"null\",\"string\"]";
        };
    }

    /** One CSV row of a live user, in {@link #COLUMNS} order; an absent optional field is the empty string. */
    public static List<String> row(CatalogUser user) {
        if (user.isDelete()) throw new IllegalArgumentException("a deleted user has no row: " + user.userId());
        return DatasetSchemas.row(COLUMNS, values(user));
    }

    /** PutUsers' {@code properties} of a live user: the schema's fields but USER_ID, camel case, absent ones left out. */
    public static Map<String, String> properties(CatalogUser user) {
        Map<String, String> out = new LinkedHashMap<>();
        values(user).forEach((column, value) -> {
            if (!column.equals(USER_ID)) out.put(ItemsDataset.camelCase(column), value);
        });
        return out;
    }

    private static Map<String, String> values(CatalogUser user) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(USER_ID, user.userId());
        if (user.segment() != null) v.put(SEGMENT, user.segment());
        if (user.membership() != null) v.put(MEMBERSHIP, user.membership());
        if (user.age() != null) v.put(AGE, Integer.toString(user.age()));
        return v;
    }
}
