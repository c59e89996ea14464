package dev.recsys.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.pipeline.PreparationManifest;
import dev.recsys.common.workload.SyntheticWorkload;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job on fixture data in Spark local mode, against a file:// bucket root. */
class InteractionPreparationTest {

    private static final Instant END = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant START = END.minus(Duration.ofHours(24));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkSession spark;

    @TempDir
    Path bucket;
    private int exposureObjects;

    @BeforeAll
    static void startSpark() {
        spark = PrepareInteractionsJob.session("local[2]", null);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void dedupesMapsToPersonalizeSchemaAndCountsEverything() throws IOException {
        List<InteractionEvent> events = workload(1_500, START.plus(Duration.ofMinutes(1)), Duration.ofHours(23));
        writeByHour(events, "shard-0");
        // A replayed flush: the same events again in another object (another shard/sequence name).
        List<InteractionEvent> replayed = events.subList(100, 220);
        writeByHour(replayed, "shard-1");

        PreparationManifest m = new InteractionPreparation(spark).run(config("run-1", true, START, END));

        assertThat(m.status()).isEqualTo(PreparationManifest.SUCCEEDED);
        assertThat(m.read()).isEqualTo(events.size() + replayed.size());
        assertThat(m.duplicates()).isEqualTo(replayed.size());
        assertThat(m.dropped()).isEmpty();
        assertThat(m.written()).isEqualTo(events.size());
        assertThat(m.users()).isEqualTo(events.stream().map(InteractionEvent::userId).distinct().count());
        assertThat(m.items()).isEqualTo(events.stream().map(InteractionEvent::itemId).distinct().count());
        assertThat(m.eventTypes()).isEqualTo(events.stream().map(InteractionEvent::eventType).distinct().count());
        assertThat(m.csvPrefix()).isEqualTo("prepared/run-1/interactions/");

        List<String[]> rows = csvRows("run-1");
        assertThat(rows.get(0)).containsExactly("USER_ID", "ITEM_ID", "EVENT_TYPE", "EVENT_VALUE", "TIMESTAMP",
                "IMPRESSION", "RECOMMENDATION_ID");
        List<String[]> data = rows.subList(1, rows.size());
        assertThat(data).hasSize(events.size());
        // Every event appears once, with its time in epoch seconds and its value when it has one.
        Map<String, InteractionEvent> expected = new HashMap<>();
        for (InteractionEvent e : events) expected.put(e.userId() + "|" + e.itemId() + "|" + e.timestampMillis() / 1000 + "|" + e.eventType(), e);
        for (String[] r : data) {
            InteractionEvent e = expected.get(r[0] + "|" + r[1] + "|" + r[4] + "|" + r[2]);
            assertThat(e).as("row %s", String.join(",", r)).isNotNull();
            if (e.eventValue() == null) assertThat(r[3]).isEmpty();
            else assertThat(Double.parseDouble(r[3])).isCloseTo(e.eventValue(), org.assertj.core.data.Offset.offset(0.01));
            // No raw/exposures/ at all (a deployment that records none): the job runs, the columns stay empty.
            assertThat(r[5]).isEmpty();
            assertThat(r[6]).isEmpty();
        }
        assertThat(m.exposurePartitions()).isZero();
        assertThat(m.withImpressions()).isZero();
        assertThat(Files.exists(bucket.resolve("prepared/run-1/interactions/_SUCCESS"))).isFalse();

        // Popularity list: ordered by count, counts taken after dedupe.
        Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(InteractionEvent::itemId, Collectors.counting()));
        long top = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(m.popularItems()).hasSize(Math.min(100, counts.size()));
        assertThat(m.popularItems().get(0).score()).isEqualTo(top);
        assertThat(counts.get(m.popularItems().get(0).itemId())).isEqualTo(top);

        JsonNode manifest = JSON.readTree(bucket.resolve("prepared/run-1/manifest.json").toFile());
        assertThat(manifest.path("counts").path("written").asLong()).isEqualTo(events.size());
        assertThat(manifest.path("counts").path("duplicates").asLong()).isEqualTo(replayed.size());
        assertThat(manifest.path("csv_prefix").asText()).isEqualTo("prepared/run-1/interactions/");
        assertThat(manifest.path("popular_items").get(0).path("item_id").asText()).isEqualTo(m.popularItems().get(0).itemId());
    }

    @Test
    void readsOnlyTheWindow() throws IOException {
        List<InteractionEvent> inside = workload(1_200, START.plus(Duration.ofHours(2)), Duration.ofHours(20));
        writeByHour(inside, "shard-0");
        // Partitions wholly before and after the window are never read.
        writeByHour(renumber(workload(300, START.minus(Duration.ofHours(6)), Duration.ofHours(5)), "old"), "shard-0");
        writeByHour(renumber(workload(300, END.plus(Duration.ofHours(1)), Duration.ofHours(3)), "new"), "shard-0");
        // A window edge inside an hour: the first half of the edge hour is read, then dropped as outside_window.
        Instant edgeStart = START.plus(Duration.ofMinutes(30));
        List<InteractionEvent> edge = renumber(workload(60, START, Duration.ofMinutes(29)), "edge");
        writeByHour(edge, "shard-0");

        PreparationManifest m = new InteractionPreparation(spark).run(config("run-window", true, edgeStart, END));

        assertThat(m.inputPartitions()).isEqualTo(hours(inside) + 1);
        assertThat(m.read()).isEqualTo(inside.size() + edge.size());
        assertThat(m.dropped()).containsExactly(Map.entry("outside_window", (long) edge.size()));
        assertThat(m.written()).isEqualTo(inside.size());
    }

    @Test
    void dropsWhatPersonalizeWouldRejectWithAReasonEach() throws IOException {
        List<InteractionEvent> good = workload(1_100, START.plus(Duration.ofHours(1)), Duration.ofHours(10));
        writeByHour(good, "shard-0");
        long t = START.plus(Duration.ofHours(3)).toEpochMilli();
        String longId = "u".repeat(257);
        List<String> bad = List.of(
                "{not json",
                "{\"event_id\":\"b1\",\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"timestamp\":\"soon\"}",
                "{\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"timestamp\":" + t + "}",
                "{\"event_id\":\"b2\",\"item_id\":\"i1\",\"event_type\":\"view\",\"timestamp\":" + t + "}",
                "{\"event_id\":\"b3\",\"user_id\":\"u1\",\"item_id\":\" \",\"event_type\":\"view\",\"timestamp\":" + t + "}",
                "{\"event_id\":\"b4\",\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\"}",
                "{\"event_id\":\"b5\",\"user_id\":\"" + longId + "\",\"item_id\":\"i1\",\"event_type\":\"view\",\"timestamp\":" + t + "}",
                "{\"event_id\":\"b6\",\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"timestamp\":-5}",
                "{\"event_id\":\"b7\",\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"rate\",\"event_value\":NaN,\"timestamp\":" + t + "}");
        writeLines(S3Layout.rawObjectKey(t, "shard-9", "1", 0), bad);

        PreparationManifest m = new InteractionPreparation(spark).run(config("run-bad", true, START, END));

        assertThat(m.read()).isEqualTo(good.size() + bad.size());
        assertThat(m.dropped()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "malformed_json", 2L,
                "missing_event_id", 1L,
                "missing_required_field", 3L,
                "field_too_long", 1L,
                "invalid_timestamp", 1L,
                "invalid_event_value", 1L)));
        assertThat(m.written()).isEqualTo(good.size());
        assertThat(csvRows("run-bad").stream().map(r -> r[0])).doesNotContain("u1", longId);
    }

    @Test
    void withoutEventValueLeavesOutItsColumn() throws IOException {
        writeByHour(workload(1_000, START.plus(Duration.ofHours(1)), Duration.ofHours(10)), "shard-0");
        PreparationManifest m = new InteractionPreparation(spark).run(config("run-noval", false, START, END));
        assertThat(m.columns()).containsExactly("USER_ID", "ITEM_ID", "EVENT_TYPE", "TIMESTAMP", "IMPRESSION", "RECOMMENDATION_ID");
        assertThat(csvRows("run-noval").get(0)).containsExactlyElementsOf(m.columns());
    }

    @Test
    void interactionsNamingAnAnswerOfTheirUserCarryItsImpression() throws IOException {
        List<InteractionEvent> events = new ArrayList<>(workload(1_100, START.plus(Duration.ofHours(1)), Duration.ofHours(20)));
        InteractionEvent shown = events.get(10).withRecommendationId("rec-model");
        InteractionEvent fallback = events.get(20).withRecommendationId("rec-fallback");
        InteractionEvent unknown = events.get(30).withRecommendationId("rec-unknown");
        InteractionEvent otherUser = events.get(40).withRecommendationId("rec-other-user");
        events.set(10, shown);
        events.set(20, fallback);
        events.set(30, unknown);
        events.set(40, otherUser);
        // Shown before the window, inside the margin (30 min) / before the margin, both clicked inside the window.
        InteractionEvent early = InteractionEvent.of("early-1", shown.userId(), "item-early", "click",
                START.plus(Duration.ofMinutes(10)).toEpochMilli()).withRecommendationId("rec-margin");
        InteractionEvent late = InteractionEvent.of("late-1", shown.userId(), "item-late", "click",
                START.plus(Duration.ofMinutes(10)).toEpochMilli()).withRecommendationId("rec-too-old");
        events.addAll(List.of(early, late));
        writeByHour(events, "shard-0");

        List<String> thirty = java.util.stream.IntStream.range(0, 30).mapToObj(i -> "item-" + i).toList();
        long before = shown.timestampMillis() - 60_000;
        writeExposure("shard-0", exposure("rec-model", before, shown.userId(), "RID-model-1", thirty), "{not json");
        // A replayed flush lands the fallback answer twice, in two objects.
        String twice = exposure("rec-fallback", fallback.timestampMillis() - 1_000, fallback.userId(), null, List.of("f1", "f2"));
        writeExposure("shard-0", twice);
        writeExposure("shard-1", twice);
        writeExposure("shard-0", exposure("rec-other-user", otherUser.timestampMillis() - 1_000, "someone-else", "RID-x", List.of("o1")));
        writeExposure("shard-0", exposure("rec-margin", START.minus(Duration.ofMinutes(20)).toEpochMilli(), shown.userId(),
                "RID-margin", List.of("m1", "m2", "m3")));
        writeExposure("shard-0", exposure("rec-too-old", START.minus(Duration.ofMinutes(45)).toEpochMilli(), shown.userId(),
                "RID-old", List.of("x1")));

        PreparationManifest m = new InteractionPreparation(spark).run(config("run-imp", true, START, END));

        List<String[]> rows = csvRows("run-imp");
        assertThat(rows).hasSize(events.size() + 1); // the replayed exposure joined once
        List<String[]> data = rows.subList(1, rows.size());
        assertThat(row(data, shown)).endsWith(String.join("|", thirty.subList(0, 25)), "RID-model-1");
        assertThat(row(data, fallback)).endsWith("f1|f2", "");
        assertThat(row(data, early)).endsWith("m1|m2|m3", "RID-margin");
        for (InteractionEvent none : List.of(unknown, otherUser, late, events.get(0))) assertThat(row(data, none)).endsWith("", "");
        assertThat(m.withImpressions()).isEqualTo(3);
        assertThat(m.exposurePartitions()).isEqualTo(Stream.of(before, fallback.timestampMillis() - 1_000,
                otherUser.timestampMillis() - 1_000, START.minus(Duration.ofMinutes(20)).toEpochMilli())
                .map(S3Layout::hourPartition).distinct().count());
        JsonNode manifest = JSON.readTree(bucket.resolve("prepared/run-imp/manifest.json").toFile());
        assertThat(manifest.path("counts").path("with_impressions").asLong()).isEqualTo(3);
    }

    @Test
    void emptyWindowFailsWithAClearMessageAndAManifest() throws IOException {
        assertThatThrownBy(() -> new InteractionPreparation(spark).run(config("run-empty", true, START, END)))
                .isInstanceOf(InsufficientDataException.class)
                .hasMessageContaining("no raw partitions")
                .hasMessageContaining(START.toString());
        JsonNode manifest = JSON.readTree(bucket.resolve("prepared/run-empty/manifest.json").toFile());
        assertThat(manifest.path("status").asText()).isEqualTo(PreparationManifest.INSUFFICIENT_DATA);
        assertThat(Files.exists(bucket.resolve("prepared/run-empty/interactions"))).isFalse();
    }

    @Test
    void theManifestCarriesTheItemAndUserCatalogsEvenWhenTheWindowIsInsufficient() throws IOException {
        PreparationManifest.Catalog items = new PreparationManifest.Catalog(3, 10, new java.util.TreeMap<>(Map.of("wrong_type", 1L)),
                9, 5, 2, 1, "prepared/run-cat/items/");
        PreparationManifest.Catalog users = new PreparationManifest.Catalog(2, 7, new java.util.TreeMap<>(), 7, 4, 3, 0,
                "prepared/run-cat/users/");
        assertThatThrownBy(() -> new InteractionPreparation(spark).run(config("run-cat", true, START, END), items, users))
                .isInstanceOf(InsufficientDataException.class);
        PreparationManifest m = PreparationManifest.parse(Files.readAllBytes(bucket.resolve("prepared/run-cat/manifest.json")));
        assertThat(m.catalog()).isEqualTo(items);
        assertThat(m.userCatalog()).isEqualTo(users);
    }

    @Test
    void tooSmallWindowFailsAfterDedupeWithTheNumbers() throws IOException {
        List<InteractionEvent> events = workload(700, START.plus(Duration.ofHours(1)), Duration.ofHours(5));
        writeByHour(events, "shard-0");
        writeByHour(events, "shard-1"); // 1,400 lines read, but only 700 distinct events

        assertThatThrownBy(() -> new InteractionPreparation(spark).run(config("run-small", true, START, END)))
                .isInstanceOf(InsufficientDataException.class)
                .hasMessageContaining("has 700 usable interactions")
                .hasMessageContaining("700 duplicates")
                .hasMessageContaining("at least 1000 interactions from at least 25 users");
        JsonNode manifest = JSON.readTree(bucket.resolve("prepared/run-small/manifest.json").toFile());
        assertThat(manifest.path("status").asText()).isEqualTo(PreparationManifest.INSUFFICIENT_DATA);
        assertThat(manifest.path("counts").path("read").asLong()).isEqualTo(1_400);
        assertThat(Files.exists(bucket.resolve("prepared/run-small/interactions"))).isFalse();
    }

    @Test
    void tooFewUsersFails() throws IOException {
        // 1,200 interactions, but all from 10 users.
        List<InteractionEvent> events = new ArrayList<>();
        long t0 = START.plus(Duration.ofHours(1)).toEpochMilli();
        for (int i = 0; i < 1_200; i++) {
            events.add(InteractionEvent.of("few-" + i, "user-" + (i % 10), "item-" + (i % 37), "view", t0 + i * 1000L));
        }
        writeByHour(events, "shard-0");
        assertThatThrownBy(() -> new InteractionPreparation(spark).run(config("run-few", true, START, END)))
                .isInstanceOf(InsufficientDataException.class)
                .hasMessageContaining("1200 usable interactions from 10 users");
    }

    // --- fixtures ---

    private PrepareConfig config(String runId, boolean eventValue, Instant start, Instant end) {
        return new PrepareConfig(bucket.toUri().toString(), runId, start, end, Duration.ofMinutes(30), eventValue,
                PrepareConfig.PERSONALIZE_MIN_INTERACTIONS, PrepareConfig.PERSONALIZE_MIN_USERS, 1, 100, null);
    }

    /** {@code count} synthetic events (60 users, 40 items, 4 clusters) spread evenly over {@code span}. */
    private static List<InteractionEvent> workload(int count, Instant first, Duration span) {
        SyntheticWorkload.Config c = new SyntheticWorkload.Config(7, 60, 40, 4, 0.6, 0.8, 0.85, count,
                first.toEpochMilli(), span.toMillis() / count);
        List<InteractionEvent> out = new ArrayList<>();
        new SyntheticWorkload(c).forEach(out::add);
        return out;
    }

    private static List<InteractionEvent> renumber(List<InteractionEvent> events, String prefix) {
        return events.stream().map(e -> new InteractionEvent(prefix + "-" + e.eventId(), e.userId(), e.itemId(), e.eventType(),
                e.eventValue(), e.timestampMillis(), e.sessionId(), e.properties())).toList();
    }

    private static long hours(List<InteractionEvent> events) {
        return events.stream().map(e -> S3Layout.hourPartition(e.timestampMillis())).distinct().count();
    }

    private void writeByHour(List<InteractionEvent> events, String shard) throws IOException {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (InteractionEvent e : events) {
            long hour = e.timestampMillis() - Math.floorMod(e.timestampMillis(), 3_600_000L);
            byKey.computeIfAbsent(S3Layout.rawObjectKey(hour, shard, String.valueOf(hour), 0), k -> new ArrayList<>())
                    .add(EventJson.toJson(e));
        }
        for (Map.Entry<String, List<String>> o : byKey.entrySet()) writeLines(o.getKey(), o.getValue());
    }

    private static String exposure(String recommendationId, long at, String userId, String modelRecommendationId,
                                   List<String> items) {
        return EventJson.toJson(new Exposure(recommendationId, at, Exposure.USER_RECOMMENDATIONS, "exp", "a", null, null,
                modelRecommendationId, modelRecommendationId == null ? "fallback" : "personalize", null, userId, null, items,
                false));
    }

    /** One exposure object per call, named like the consumer names them (shard + first sequence number). */
    private void writeExposure(String shard, String... lines) throws IOException {
        long at = JSON.readTree(lines[0]).path("timestamp").asLong();
        writeLines(S3Layout.rawExposureObjectKey(at, shard, String.valueOf(exposureObjects++), 0), List.of(lines));
    }

    private static String[] row(List<String[]> rows, InteractionEvent e) {
        String ts = String.valueOf(e.timestampMillis() / 1000);
        return rows.stream().filter(r -> r[0].equals(e.userId()) && r[1].equals(e.itemId()) && r[4].equals(ts))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + e));
    }

    private void writeLines(String key, List<String> lines) throws IOException {
        Path file = bucket.resolve(key);
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private List<String[]> csvRows(String runId) throws IOException {
        Path dir = bucket.resolve("prepared/" + runId + "/interactions");
        List<Path> parts;
        try (Stream<Path> s = Files.list(dir)) {
            parts = s.filter(p -> p.getFileName().toString().endsWith(".csv")).toList();
        }
        assertThat(parts).hasSize(1);
        assertThat(Set.copyOf(Files.readAllLines(parts.get(0))).size()).isPositive();
        return Files.readAllLines(parts.get(0)).stream().map(l -> l.split(",", -1)).toList();
    }
}
