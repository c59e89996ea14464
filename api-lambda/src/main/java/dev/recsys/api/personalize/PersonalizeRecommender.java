package dev.recsys.api.personalize;

import dev.recsys.api.core.Recommendation;
import dev.recsys.api.core.Recommender;
import dev.recsys.api.core.ScoredItem;
import java.util.List;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.model.GetPersonalizedRankingResponse;
import software.amazon.awssdk.services.personalizeruntime.model.GetRecommendationsResponse;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;

/** Amazon Personalize's runtime API (or any endpoint speaking it, such as the local engine). */
public final class PersonalizeRecommender implements Recommender {

    private final PersonalizeRuntimeClient client;

    public PersonalizeRecommender(PersonalizeRuntimeClient client) {
        this.client = client;
    }

    @Override
    public Recommendation recommend(String campaignArn, String userId, int limit, String filterArn) {
        GetRecommendationsResponse r = client.getRecommendations(b -> b
                .campaignArn(campaignArn).userId(userId).numResults(limit).filterArn(filterArn));
        return new Recommendation(items(r.itemList()), r.recommendationId());
    }

    @Override
    public Recommendation similar(String campaignArn, String itemId, String userId, int limit) {
        GetRecommendationsResponse r = client.getRecommendations(b -> b
                .campaignArn(campaignArn).itemId(itemId).userId(userId).numResults(limit));
        return new Recommendation(items(r.itemList()), r.recommendationId());
    }

    @Override
    public Recommendation rank(String campaignArn, String userId, List<String> itemIds) {
        GetPersonalizedRankingResponse r = client.getPersonalizedRanking(b -> b
                .campaignArn(campaignArn).userId(userId).inputList(itemIds));
        return new Recommendation(items(r.personalizedRanking()), r.recommendationId());
    }

    private static List<ScoredItem> items(List<PredictedItem> predicted) {
        return predicted.stream().map(p -> new ScoredItem(p.itemId(), p.score())).toList();
    }
}
