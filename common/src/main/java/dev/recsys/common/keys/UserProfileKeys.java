package dev.recsys.common.keys;

import dev.recsys.common.contract.Contract;

/**
 * The {@code user_profiles} table: one row per user, written by the consumer (counters, first and last activity);
 * the API reads only whether the row exists (a user without one is a cold start).
 */
public final class UserProfileKeys {

    public static final String PARTITION_KEY = Contract.get().tables().userProfiles().hashKey();

    private UserProfileKeys() {}
}
