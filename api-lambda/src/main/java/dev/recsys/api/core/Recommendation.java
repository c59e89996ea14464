package dev.recsys.api.core;

import java.util.List;

/** What a recommender returned: ranked items and the id it gave this recommendation. */
public record Recommendation(List<ScoredItem> items, String recommendationId) {

    public Recommendation {
        items = List.copyOf(items);
    }
}
