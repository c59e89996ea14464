package dev.recsys.personalize.engine.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.personalize.engine.storage.JsonLines;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Items users interacted with through PutEvents, per dataset group: what makes the next answer react
 * before any retraining. Appended to a JSON-lines log and replayed on start, so a restart keeps it.
 */
public final class LiveHistory implements AutoCloseable {

    /** Most recent items kept per user; older ones matter little to the next answer. */
    static final int MAX_ITEMS_PER_USER = 500;

    /** One real-time event as kept: the item and its event type (null in logs written before types were kept). */
    public record Event(String itemId, String eventType) {}

    /** Per group and user: items oldest first, each with the event types the user recorded on it. */
    private final Map<String, Map<String, LinkedHashMap<String, Set<String>>>> byGroup = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final BufferedWriter log;

    public LiveHistory(Path file, ObjectMapper json) throws IOException {
        this.json = json;
        Files.createDirectories(file.getParent());
        JsonLines.replay(file, json, n -> remember(n.path("g").asText(), n.path("u").asText(), n.path("i").asText(),
                n.path("t").asText(null)));
        this.log = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Records the events in order and makes them durable before returning. */
    public synchronized void record(String datasetGroupArn, String userId, List<Event> events) {
        try {
            for (Event e : events) {
                remember(datasetGroupArn, userId, e.itemId(), e.eventType());
                log.write(json.createObjectNode().put("g", datasetGroupArn).put("u", userId).put("i", e.itemId())
                        .put("t", e.eventType()).toString());
                log.newLine();
            }
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the real-time event log", e);
        }
    }

    /** The user's real-time items, oldest first (empty when none). */
    public List<String> items(String datasetGroupArn, String userId) {
        LinkedHashMap<String, Set<String>> items = itemsOf(datasetGroupArn, userId);
        if (items == null) return List.of();
        synchronized (items) {
            return List.copyOf(items.keySet());
        }
    }

    /** The event types the user recorded on the item in real time (empty when none). */
    public Set<String> eventTypes(String datasetGroupArn, String userId, String itemId) {
        LinkedHashMap<String, Set<String>> items = itemsOf(datasetGroupArn, userId);
        if (items == null) return Set.of();
        synchronized (items) {
            Set<String> types = items.get(itemId);
            return types == null ? Set.of() : Set.copyOf(types);
        }
    }

    private LinkedHashMap<String, Set<String>> itemsOf(String group, String user) {
        Map<String, LinkedHashMap<String, Set<String>>> users = byGroup.get(group);
        return users == null ? null : users.get(user);
    }

    private void remember(String group, String user, String item, String eventType) {
        LinkedHashMap<String, Set<String>> items = byGroup.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(user, u -> new LinkedHashMap<>());
        synchronized (items) {
            Set<String> types = items.remove(item);
            if (types == null) types = new HashSet<>();
            if (eventType != null) types.add(eventType);
            items.put(item, types);
            if (items.size() > MAX_ITEMS_PER_USER) items.remove(items.keySet().iterator().next());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }
}
