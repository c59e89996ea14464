package dev.recsys.consumer.attribution;

import dev.recsys.consumer.attribution.ExposureLookup.ById;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** What an answer showed, for the tracker: Personalize's own recommendationId and the items in order. */
public interface Impressions {

    /** @param modelRecommendationId null when the answer did not come from a model (a fallback) */
    record Shown(String modelRecommendationId, List<String> items) {
        public Shown {
            items = List.copyOf(items);
        }
    }

    /** The answers found among {@code ids}; missing ones are simply absent. Must not throw. */
    Map<ById, Shown> of(Collection<ById> ids);

    Impressions NONE = ids -> Map.of();
}
