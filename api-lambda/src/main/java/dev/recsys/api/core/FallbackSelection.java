package dev.recsys.api.core;

import dev.recsys.common.filter.FilterInputs;
import dev.recsys.common.filter.FilterItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a request's filter to the popular list the way Personalize applies it to the model's candidates: each
 * item's catalog fields from the {@code items} table, the user's event types from the interactions table, the seed
 * item as {@code CurrentItem}, the user's Users values (the {@code users} table) as {@code CurrentUser}. Candidates are read in pages of 100 (one BatchGetItem) until enough pass. When the
 * catalog or the history cannot be read the answer is empty rather than possibly showing an item the filter
 * excludes; asked-for metadata is attached from the same reads (and left out when they fail without a filter).
 */
final class FallbackSelection {

    static final int PAGE = 100;

    private final ItemCatalog catalog;
    private final UserInteractions interactions;
    private final UserAttributes users;

    FallbackSelection(ItemCatalog catalog, UserInteractions interactions, UserAttributes users) {
        this.catalog = catalog;
        this.interactions = interactions;
        this.users = users;
    }

    List<ScoredItem> select(List<ScoredItem> candidates, int limit, FilterChoice filter, String userId, String currentItemId,
                            List<String> columns) {
        if (filter.isNone() && columns.isEmpty()) {
            return candidates.subList(0, Math.min(limit, candidates.size()));
        }
        boolean readCatalog = filter.needsCatalog() || !columns.isEmpty();
        try {
            Map<String, Set<String>> history = filter.needsHistory() ? interactions.eventTypes(userId) : Map.of();
            FilterItem user = filter.needsUser() && userId != null ? users.of(userId) : FilterItem.EMPTY;
            FilterItem current = null;
            if (currentItemId != null && filter.needsCatalog()) {
                ItemCatalog.Entry e = catalog.items(List.of(currentItemId)).get(currentItemId);
                current = e == null ? FilterItem.EMPTY : e.filterItem();
            }
            List<ScoredItem> out = new ArrayList<>(limit);
            for (int from = 0; from < candidates.size() && out.size() < limit; from += PAGE) {
                List<ScoredItem> page = candidates.subList(from, Math.min(from + PAGE, candidates.size()));
                Map<String, ItemCatalog.Entry> entries = readCatalog ? catalog.items(page.stream().map(ScoredItem::itemId).toList()) : Map.of();
                FilterInputs inputs = new Inputs(entries, current, user, history);
                for (ScoredItem item : page) {
                    if (filter.isNone() || filter.bound().keeps(item.itemId(), inputs)) {
                        ItemCatalog.Entry e = entries.get(item.itemId());
                        out.add(columns.isEmpty() ? item : item.withMetadata(e == null ? Map.of() : e.metadata()).metadataFor(columns));
                        if (out.size() == limit) break;
                    }
                }
            }
            return out;
        } catch (RuntimeException e) {
            // Without the catalog or the history nothing is known to pass the filter; unfiltered, the items still are.
            return filter.isNone() ? candidates.subList(0, Math.min(limit, candidates.size())) : List.of();
        }
    }

    private record Inputs(Map<String, ItemCatalog.Entry> entries, FilterItem current, FilterItem user, Map<String, Set<String>> history)
            implements FilterInputs {
        @Override
        public FilterItem item(String itemId) {
            ItemCatalog.Entry e = entries.get(itemId);
            return e == null ? FilterItem.EMPTY : e.filterItem();
        }

        @Override
        public FilterItem currentItem() {
            return current;
        }

        @Override
        public FilterItem currentUser() {
            return user;
        }

        @Override
        public Set<String> eventTypes(String itemId) {
            return history.getOrDefault(itemId, Set.of());
        }
    }
}
