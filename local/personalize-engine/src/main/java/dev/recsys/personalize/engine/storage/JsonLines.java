package dev.recsys.personalize.engine.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Replays an append-only JSON-lines file that a crash may have cut mid-line. */
public final class JsonLines {

    private JsonLines() {}

    /** Hands each complete line to {@code line}, in order; stops at a torn last line (all before it is intact). */
    public static void replay(Path file, ObjectMapper json, Consumer<JsonNode> line) throws IOException {
        if (!Files.exists(file)) return;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = in.readLine()) != null) {
                if (text.isBlank()) continue;
                JsonNode n;
                try {
                    n = json.readTree(text);
                } catch (IOException torn) {
                    return;
                }
                line.accept(n);
            }
        }
    }
}
