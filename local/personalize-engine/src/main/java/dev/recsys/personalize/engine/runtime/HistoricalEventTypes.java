package dev.recsys.personalize.engine.runtime;

import dev.recsys.personalize.engine.control.ControlPlane;
import dev.recsys.personalize.engine.data.Interactions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The event types each user recorded on each item in the imported interactions, for
 * {@code Interactions.EVENT_TYPE} filters. Like Personalize, only a user's most recent
 * {@value #PER_USER} imported interactions count. Built on the first filtered request after an
 * import and kept until the group's imports change.
 */
final class HistoricalEventTypes {

    static final int PER_USER = 200;

    private record Index(List<String> imports, Map<String, Map<String, Set<String>>> byUser) {}

    private final ControlPlane control;
    private final Map<String, Index> byGroup = new ConcurrentHashMap<>();

    HistoricalEventTypes(ControlPlane control) {
        this.control = control;
    }

    /** The user's imported event types per item; empty when none. */
    Map<String, Set<String>> of(String datasetGroupArn, String userId) {
        List<String> imports = control.interactionImports(datasetGroupArn);
        Index index = byGroup.get(datasetGroupArn);
        if (index == null || !index.imports().equals(imports)) {
            index = build(imports);
            byGroup.put(datasetGroupArn, index);
        }
        return index.byUser().getOrDefault(userId, Map.of());
    }

    private Index build(List<String> imports) {
        Interactions data;
        try {
            data = control.interactions(imports);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the imported interactions", e);
        }
        Map<Integer, List<Integer>> rowsByUser = new HashMap<>();
        for (int r = 0; r < data.size(); r++) rowsByUser.computeIfAbsent(data.user(r), u -> new ArrayList<>()).add(r);
        Map<String, Map<String, Set<String>>> byUser = new HashMap<>();
        rowsByUser.forEach((user, rows) -> {
            rows.sort(Comparator.comparingLong(data::timestamp));
            Map<String, Set<String>> items = new HashMap<>();
            for (int r : rows.subList(Math.max(0, rows.size() - PER_USER), rows.size())) {
                items.computeIfAbsent(data.itemId(data.item(r)), i -> new HashSet<>()).add(data.eventType(r));
            }
            byUser.put(data.userId(user), items);
        });
        return new Index(imports, byUser);
    }
}
