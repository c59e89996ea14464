package dev.recsys.common.catalog;

/**
 * The field names of a user record ({@code "record_type": "user"}) on the stream, which are also the lines of the
 * raw JSON Lines under {@code raw/users/} and the attribute names of the {@code users} table ({@code UserKeys}).
 * Only what a recommender may use: no names, e-mails or other personal data beyond these categorical fields.
 */
public final class UserFields {

    /** The value of {@code record_type} that marks a user record. */
    public static final String RECORD_TYPE_USER = "user";

    public static final String USER_ID = "user_id";
    /** {@code upsert} or {@code delete}, as on item records. */
    public static final String OPERATION = CatalogFields.OPERATION;
    /** When the producer changed the user, epoch ms: orders the records of one user (later wins). */
    public static final String UPDATED_AT = CatalogFields.UPDATED_AT;

    // Upserts only, all optional
    /** A categorical audience or taste segment the team assigns. */
    public static final String SEGMENT = "segment";
    /** A categorical membership or plan (e.g. free, plus). */
    public static final String MEMBERSHIP = "membership";
    /** Whole years, {@code 0..}{@link CatalogLimits#MAX_AGE}: numeric, so filters can compare it. */
    public static final String AGE = "age";

    private UserFields() {}
}
