package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.event.RejectReason;
import dev.recsys.common.keys.S3Layout;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The exactly-once checks every ingestion scenario ends with. */
final class Expectations {

    private Expectations() {}

    static void exactlyOnceEverywhere(StoreInspector inspect, List<InteractionEvent> sent) {
        Set<String> expectedIds = sent.stream().map(InteractionEvent::eventId).collect(Collectors.toSet());
        List<String> rowIds = inspect.interactions().stream().map(r -> r.get("event_id").s()).toList();
        assertThat(rowIds).as("rows: none lost, none duplicated").hasSameSizeAs(expectedIds).doesNotHaveDuplicates();
        assertThat(Set.copyOf(rowIds)).isEqualTo(expectedIds);

        Map<String, Long> expectedCounts = sent.stream().collect(Collectors.groupingBy(InteractionEvent::userId,
                Collectors.mapping(InteractionEvent::eventId, Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
        assertThat(inspect.profileCounts()).as("profile counts == distinct event ids per user").isEqualTo(expectedCounts);

        Map<String, Integer> archived = new HashMap<>();
        for (JsonNode line : inspect.jsonLines(S3Layout.RAW_PREFIX)) archived.merge(line.get("event_id").asText(), 1, Integer::sum);
        assertThat(archived.keySet()).as("S3 raw holds every event").isEqualTo(expectedIds);
        assertThat(archived.entrySet()).as("S3 raw holds each event once").allMatch(e -> e.getValue() == 1);
    }

    /** Each bad record dead-lettered exactly once, with its reason and a detail, its bytes kept as sent. */
    static void deadLettered(StoreInspector inspect, Map<String, RejectReason> bad) {
        Map<String, String> deadLetters = new HashMap<>();
        for (JsonNode d : inspect.jsonLines(S3Layout.DEAD_LETTER_PREFIX)) {
            assertThat(d.get("detail").asText()).isNotBlank();
            deadLetters.put(new String(Base64.getDecoder().decode(d.get("data_base64").asText()), StandardCharsets.UTF_8), d.get("reason").asText());
        }
        Map<String, String> expectedDead = new HashMap<>();
        bad.forEach((k, v) -> expectedDead.put(k, v.name()));
        assertThat(deadLetters).isEqualTo(expectedDead);
    }

    static boolean s3Complete(StoreInspector inspect, int expected) {
        return inspect.jsonLines(S3Layout.RAW_PREFIX).size() >= expected;
    }
}
