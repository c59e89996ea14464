package dev.recsys.api.core;

import java.util.Map;
import java.util.Set;

/** A user's recent history as {@code Interactions.EVENT_TYPE} filters see it: per item, the event types they had with it. */
@FunctionalInterface
public interface UserInteractions {

    /** No interactions table configured: nobody has a history. */
    UserInteractions NONE = userId -> Map.of();

    /** Throws when the history cannot be read: a filter must never guess. */
    Map<String, Set<String>> eventTypes(String userId);
}
