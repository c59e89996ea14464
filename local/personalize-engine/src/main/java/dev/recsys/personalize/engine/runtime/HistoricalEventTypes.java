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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event types each user recorded on each item in the imported interactions, for
 * {@code Interactions.EVENT_TYPE} filters. Like Personalize, only a user's most recent
 * {@value #PER_USER} imported interactions count. Built in the background as soon as an interactions
 * import turns ACTIVE (and for every group when the engine starts), so the first filtered request does not
 * pay for it; a request that comes first, or during the build, waits for it. Kept until the group's imports change.
 */
final class HistoricalEventTypes {

    static final int PER_USER = 200;
    private static final Logger LOG = LoggerFactory.getLogger(HistoricalEventTypes.class);

    private record Index(List<String> imports, Map<String, Map<String, Set<String>>> byUser) {}

    private final ControlPlane control;
    private final Map<String, Index> byGroup = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** One builder thread, gone when idle: it never outlives its work. */
    private final ExecutorService builder = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "event-type-index");
        t.setDaemon(true);
        return t;
    });

    HistoricalEventTypes(ControlPlane control) {
        this.control = control;
        control.onInteractionsImported(this::buildSoon);
        control.groupsWithInteractions().forEach(this::buildSoon);
    }

    /** The user's imported event types per item; empty when none. */
    Map<String, Set<String>> of(String datasetGroupArn, String userId) {
        return current(datasetGroupArn).byUser().getOrDefault(userId, Map.of());
    }

    private void buildSoon(String datasetGroupArn) {
        builder.execute(() -> {
            try {
                current(datasetGroupArn);
            } catch (RuntimeException e) {
                LOG.warn("event-type index of {} not built ahead; the next filtered request builds it", datasetGroupArn, e);
            }
        });
    }

    /** The group's index for its current imports, built once per change however many ask at the same time. */
    private Index current(String datasetGroupArn) {
        List<String> imports = control.interactionImports(datasetGroupArn);
        Index index = byGroup.get(datasetGroupArn);
        if (index != null && index.imports().equals(imports)) return index;
        synchronized (locks.computeIfAbsent(datasetGroupArn, g -> new Object())) {
            index = byGroup.get(datasetGroupArn);
            if (index == null || !index.imports().equals(imports)) {
                index = build(imports);
                byGroup.put(datasetGroupArn, index);
            }
            return index;
        }
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
