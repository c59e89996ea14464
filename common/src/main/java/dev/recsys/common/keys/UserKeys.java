package dev.recsys.common.keys;

import dev.recsys.common.catalog.UserFields;
import dev.recsys.common.contract.Contract;

/**
 * The {@code users} table: PK {@code user_id}, one row per user, written only by the consumer from user records,
 * with {@link ItemKeys}' rules: an upsert's row holds the record's fields under their {@link UserFields} names, a
 * delete leaves a tombstone ({@link #DELETED} true), and every write is conditional on {@link #REVISION}.
 *
 * <p>Attribute types: {@link #SEGMENT}, {@link #MEMBERSHIP} S (optional); {@link #AGE} N (optional);
 * {@link #UPDATED_AT} N (epoch ms); {@link #DELETED} BOOL; {@link #REVISION} S.
 */
public final class UserKeys {

    private static final Contract.Users TABLE = Contract.get().tables().users();

    public static final String PARTITION_KEY = sameAsRecordField(TABLE.hashKey());
    public static final String REVISION = ItemKeys.REVISION;
    public static final String DELETED = ItemKeys.DELETED;
    public static final String UPDATED_AT = UserFields.UPDATED_AT;
    public static final String SEGMENT = UserFields.SEGMENT;
    public static final String MEMBERSHIP = UserFields.MEMBERSHIP;
    public static final String AGE = UserFields.AGE;

    private UserKeys() {}

    private static String sameAsRecordField(String hashKey) {
        if (!hashKey.equals(UserFields.USER_ID)) {
            throw new IllegalStateException("contract: tables.users.hash_key '" + hashKey + "' differs from the user records' field '"
                    + UserFields.USER_ID + "', which the consumer writes as the key");
        }
        return hashKey;
    }
}
