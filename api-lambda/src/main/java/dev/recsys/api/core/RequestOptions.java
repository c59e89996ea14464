package dev.recsys.api.core;

import java.util.List;
import java.util.Map;

/**
 * What a recommendation request may add to its route's own inputs, shape-checked by the HTTP layer: a configured
 * filter's name (null: none, or the default filter for user recommendations), the values of its parameters, and
 * the item metadata columns to return with each item.
 */
public record RequestOptions(String filter, Map<String, List<String>> filterValues, List<String> metadataColumns) {

    public static final RequestOptions NONE = new RequestOptions(null, Map.of(), List.of());

    public RequestOptions {
        filterValues = Map.copyOf(filterValues);
        metadataColumns = List.copyOf(metadataColumns);
    }
}
