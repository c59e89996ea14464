package dev.recsys.personalize.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Items users interacted with through PutEvents, per dataset group: what makes the next answer react
 * before any retraining. Appended to a JSON-lines log and replayed on start, so a restart keeps it.
 */
public final class LiveHistory implements AutoCloseable {

    /** Most recent items kept per user; older ones matter little to the next answer. */
    static final int MAX_ITEMS_PER_USER = 500;

    private final Map<String, Map<String, Deque<String>>> byGroup = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final BufferedWriter log;

    public LiveHistory(Path file, ObjectMapper json) throws IOException {
        this.json = json;
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) continue;
                    JsonNode n;
                    try {
                        n = json.readTree(line);
                    } catch (IOException e) {
                        break; // a torn last line from a crash: everything before it is intact
                    }
                    remember(n.path("g").asText(), n.path("u").asText(), n.path("i").asText());
                }
            }
        }
        this.log = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Records the items in order and makes them durable before returning. */
    public synchronized void record(String datasetGroupArn, String userId, List<String> itemIds) {
        try {
            for (String item : itemIds) {
                remember(datasetGroupArn, userId, item);
                log.write(json.createObjectNode().put("g", datasetGroupArn).put("u", userId).put("i", item).toString());
                log.newLine();
            }
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the real-time event log", e);
        }
    }

    /** The user's real-time items, oldest first (empty when none). */
    public List<String> items(String datasetGroupArn, String userId) {
        Map<String, Deque<String>> users = byGroup.get(datasetGroupArn);
        Deque<String> items = users == null ? null : users.get(userId);
        if (items == null) return List.of();
        synchronized (items) {
            return List.copyOf(items);
        }
    }

    private void remember(String group, String user, String item) {
        Deque<String> items = byGroup.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(user, u -> new ArrayDeque<>());
        synchronized (items) {
            items.remove(item);
            items.addLast(item);
            if (items.size() > MAX_ITEMS_PER_USER) items.removeFirst();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }
}
