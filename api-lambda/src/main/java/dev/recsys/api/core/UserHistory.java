package dev.recsys.api.core;

/**
 * Cold-start detection. Personalize answers for unknown users too (with popularity-ish items), so
 * it cannot tell us; the interactions pipeline can: a user without a profile row has no history.
 */
@FunctionalInterface
public interface UserHistory {

    /** When no profile table is configured every user counts as known and the model decides. */
    UserHistory ASSUME_KNOWN = userId -> true;

    /** True when the user has history, or when it cannot be determined (never degrade on doubt). */
    boolean hasHistory(String userId);
}
