package dev.recsys.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** A file:// data bucket for the catalog tests: one kind's archived stream records, bulk files, and its dataset CSV read back. */
final class CatalogBucket {

    static final Instant END = Instant.parse("2026-03-01T12:00:00Z");
    static final long T = END.minus(Duration.ofDays(40)).toEpochMilli(); // older than any interaction window

    /** The consumer's raw object key of one kind ({@code S3Layout::rawItemObjectKey}, {@code S3Layout::rawUserObjectKey}). */
    interface RawKey {
        String of(long hourMillis, String shardId, String firstSequenceNumber, long firstSubSequence);
    }

    private final Path root;
    private final RawKey rawKey;
    private int objects;

    CatalogBucket(Path root, RawKey rawKey) {
        this.root = root;
        this.rawKey = rawKey;
    }

    PrepareConfig config(String runId) {
        return new PrepareConfig(root.toUri().toString(), runId, END.minus(Duration.ofHours(24)), END, Duration.ofMinutes(30), true,
                PrepareConfig.PERSONALIZE_MIN_INTERACTIONS, PrepareConfig.PERSONALIZE_MIN_USERS, 1, 100, null);
    }

    /** One gzip JSON Lines object per call, named and partitioned as the consumer writes them. */
    void archiveLines(String shard, String... lines) throws IOException {
        Path file = root.resolve(rawKey.of(T - Math.floorMod(T, 3_600_000L), shard, String.valueOf(objects++), 0));
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    Path bulk(String key, String... lines) throws IOException {
        Path file = root.resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** Every line of the run's dataset CSV, header first (one part file: the config asks for one). */
    List<String> csv(String runId, CatalogKind kind) throws IOException {
        List<Path> parts;
        try (Stream<Path> s = Files.list(root.resolve("prepared/" + runId + "/" + kind.dataset()))) {
            parts = s.filter(p -> p.getFileName().toString().endsWith(".csv")).toList();
        }
        assertThat(parts).hasSize(1);
        return Files.readAllLines(parts.get(0));
    }

    /** The dataset CSV by entity id (the first column), after checking its header. */
    Map<String, List<String>> rows(String runId, CatalogKind kind) throws IOException {
        List<String> lines = csv(runId, kind);
        assertThat(lines.get(0)).isEqualTo(String.join(",", kind.columns()));
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            List<String> row = List.of(l.split(",", -1));
            out.put(row.get(0), row);
        }
        return out;
    }
}
