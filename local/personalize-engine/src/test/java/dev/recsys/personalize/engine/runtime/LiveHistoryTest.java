package dev.recsys.personalize.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveHistoryTest {

    @TempDir
    Path dir;

    @Test
    void keepsItemsPerGroupAndUserAcrossARestartEvenAfterATornLine() throws Exception {
        Path file = dir.resolve("events/events.jsonl");
        try (LiveHistory h = new LiveHistory(file, new ObjectMapper())) {
            h.record("g1", "u1", views("a", "b"));
            h.record("g1", "u1", List.of(new LiveHistory.Event("a", "purchase")));
            h.record("g2", "u1", views("z"));
        }
        // A crash mid-write leaves half a line at the end.
        Files.writeString(file, "{\"g\":\"g1\",\"u\":\"u1\",\"i\"", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (LiveHistory h = new LiveHistory(file, new ObjectMapper())) {
            assertThat(h.items("g1", "u1")).containsExactly("b", "a");
            assertThat(h.items("g2", "u1")).containsExactly("z");
            assertThat(h.items("g1", "nobody")).isEmpty();
            // what an Interactions.EVENT_TYPE filter reads
            assertThat(h.eventTypes("g1", "u1", "a")).containsExactlyInAnyOrder("view", "purchase");
            assertThat(h.eventTypes("g1", "u1", "b")).containsExactly("view");
            assertThat(h.eventTypes("g2", "u1", "a")).isEmpty();
        }
    }

    private static List<LiveHistory.Event> views(String... items) {
        return java.util.Arrays.stream(items).map(i -> new LiveHistory.Event(i, "view")).toList();
    }

    @Test
    void keepsOnlyTheMostRecentItemsOfAUser() throws Exception {
        try (LiveHistory h = new LiveHistory(dir.resolve("e.jsonl"), new ObjectMapper())) {
            List<String> many = new ArrayList<>();
            for (int i = 0; i < LiveHistory.MAX_ITEMS_PER_USER + 5; i++) many.add("i" + i);
            h.record("g", "u", many.stream().map(i -> new LiveHistory.Event(i, "view")).toList());
            assertThat(h.items("g", "u")).hasSize(LiveHistory.MAX_ITEMS_PER_USER).startsWith("i5").endsWith("i" + (many.size() - 1));
        }
    }
}
