package dev.recsys.api.core;

import java.util.List;

/** The popular items served when the model cannot answer; its version also versions every cache field. */
public interface FallbackList {

    String modelVersion();

    List<ScoredItem> items();

    default List<ScoredItem> top(int limit) {
        return items().subList(0, Math.min(limit, items().size()));
    }
}
