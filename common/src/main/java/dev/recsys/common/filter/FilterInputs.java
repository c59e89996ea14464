package dev.recsys.common.filter;

import java.util.Set;

/** What a bound filter reads while it decides one request's candidates. */
public interface FilterInputs {

    /** The candidate's catalog values; {@link FilterItem#EMPTY} when the catalog does not know it. */
    FilterItem item(String itemId);

    /** The related-items seed ({@code CurrentItem}); null when the request has none. */
    FilterItem currentItem();

    /** The request's user's Users-dataset values ({@code IF CurrentUser...}); {@link FilterItem#EMPTY} when unknown or no user. */
    FilterItem currentUser();

    /** The event types the request's user has recorded on the item; empty when none (or no user). */
    Set<String> eventTypes(String itemId);
}
