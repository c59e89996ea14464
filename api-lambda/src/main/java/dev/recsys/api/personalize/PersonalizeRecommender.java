package dev.recsys.api.personalize;

import dev.recsys.api.core.ModelRequest;
import dev.recsys.api.core.Recommendation;
import dev.recsys.api.core.Recommender;
import dev.recsys.api.core.ScoredItem;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.model.GetPersonalizedRankingResponse;
import software.amazon.awssdk.services.personalizeruntime.model.GetRecommendationsResponse;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;
import software.amazon.awssdk.services.personalizeruntime.model.Promotion;

/** Amazon Personalize's runtime API (or any endpoint speaking it, such as the local engine). */
public final class PersonalizeRecommender implements Recommender {

    /** The key of {@code metadataColumns}: the dataset the columns are from. */
    static final String ITEMS_DATASET = "ITEMS";
    /** User-Personalization-v2's reason for an item placed to explore. */
    static final String EXPLORATION_REASON = "Exploration";

    private final PersonalizeRuntimeClient client;

    public PersonalizeRecommender(PersonalizeRuntimeClient client) {
        this.client = client;
    }

    @Override
    public Recommendation recommend(ModelRequest r) {
        GetRecommendationsResponse response = client.getRecommendations(b -> {
            b.campaignArn(r.campaignArn()).userId(r.userId()).itemId(r.itemId()).numResults(r.limit()).filterArn(r.filterArn());
            // Only what the request uses: an empty map would be sent as {} and read as "values given".
            if (!r.filterValues().isEmpty()) b.filterValues(r.filterValues());
            if (!r.metadataColumns().isEmpty()) b.metadataColumns(Map.of(ITEMS_DATASET, r.metadataColumns()));
            if (r.promotion() != null) {
                b.promotions(Promotion.builder().name(r.promotion().name()).percentPromotedItems(r.promotion().percent())
                        .filterArn(r.promotion().filter().arn())
                        .filterValues(r.promotion().personalizeValues().isEmpty() ? null : r.promotion().personalizeValues()).build());
            }
        });
        return new Recommendation(items(response.itemList()), response.recommendationId());
    }

    @Override
    public Recommendation rank(ModelRequest r, List<String> itemIds) {
        GetPersonalizedRankingResponse response = client.getPersonalizedRanking(b -> {
            b.campaignArn(r.campaignArn()).userId(r.userId()).inputList(itemIds).filterArn(r.filterArn());
            if (!r.filterValues().isEmpty()) b.filterValues(r.filterValues());
            if (!r.metadataColumns().isEmpty()) b.metadataColumns(Map.of(ITEMS_DATASET, r.metadataColumns()));
        });
        return new Recommendation(items(response.personalizedRanking()), response.recommendationId());
    }

    private static List<ScoredItem> items(List<PredictedItem> predicted) {
        return predicted.stream().map(p -> new ScoredItem(p.itemId(), p.score(), p.promotionName(),
                p.hasReason() && p.reason().contains(EXPLORATION_REASON) ? Boolean.TRUE : null,
                p.hasMetadata() ? p.metadata() : null)).toList();
    }
}
