package dev.recsys.api.core;

import dev.recsys.common.filter.FilterItem;
import java.util.Collection;
import java.util.Map;

/**
 * The catalog as the fallback path needs it ({@code items} table): each item's attributes as filters see them and
 * its metadata as answers show it. Deleted and unknown items are absent from the result.
 */
@FunctionalInterface
public interface ItemCatalog {

    /** No catalog configured: no item has attributes (an INCLUDE on Items fields keeps nothing, an EXCLUDE everything). */
    ItemCatalog NONE = ids -> Map.of();

    /** At most 100 ids per call. Throws when the catalog cannot be read: a filter must never guess. */
    Map<String, Entry> items(Collection<String> ids);

    /**
     * @param filterItem the item's Items fields by the names filter expressions use
     * @param metadata   the same fields as strings by Items column name (multiple values joined with {@code |}, as
     *                   Personalize returns them)
     */
    record Entry(FilterItem filterItem, Map<String, String> metadata) {
        public Entry {
            metadata = Map.copyOf(metadata);
        }
    }
}
