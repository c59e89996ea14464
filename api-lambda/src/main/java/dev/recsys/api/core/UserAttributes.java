package dev.recsys.api.core;

import dev.recsys.common.filter.FilterItem;

/**
 * The users' metadata as the fallback path needs it ({@code users} table): a user's Users-dataset values as
 * {@code IF CurrentUser...} conditions read them.
 */
@FunctionalInterface
public interface UserAttributes {

    /** No users table configured: every user is unknown, so no IF CurrentUser clause applies. */
    UserAttributes NONE = userId -> FilterItem.EMPTY;

    /** {@link FilterItem#EMPTY} for an unknown or deleted user. Throws when the table cannot be read: a filter must never guess. */
    FilterItem of(String userId);
}
