package dev.recsys.api.core;

import java.util.List;
import java.util.Map;

/**
 * One call to the model, as Personalize's runtime takes it: the campaign, the user and/or item it is about (trending
 * has neither unless a filter reads the user's interactions), how many items, the filter with its values in
 * Personalize's {@code filterValues} form, the Items columns to return, and the promotion to apply.
 *
 * @param userId          null when the route has no user
 * @param itemId          the seed item of related items, else null
 * @param filterArn       null: no filter
 * @param filterValues    parameter name (without {@code $}) → Personalize's value string; empty without parameters
 * @param metadataColumns Items dataset columns; empty: no metadata
 * @param promotion       null: none
 */
public record ModelRequest(String campaignArn, String userId, String itemId, int limit, String filterArn,
                           Map<String, String> filterValues, List<String> metadataColumns, Promotion promotion) {

    public ModelRequest {
        filterValues = Map.copyOf(filterValues);
        metadataColumns = List.copyOf(metadataColumns);
    }

    /** A plain call: no filter, metadata or promotion. */
    public static ModelRequest plain(String campaignArn, String userId, String itemId, int limit) {
        return new ModelRequest(campaignArn, userId, itemId, limit, null, Map.of(), List.of(), null);
    }
}
