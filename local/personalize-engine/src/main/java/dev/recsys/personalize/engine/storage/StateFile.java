package dev.recsys.personalize.engine.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The control plane's resources as one JSON document, replaced atomically on every change. */
public final class StateFile {

    private final Path file;
    private final ObjectMapper json;

    public StateFile(Path dir, ObjectMapper json) throws IOException {
        this.file = Files.createDirectories(dir).resolve("state.json");
        this.json = json;
    }

    /** The saved document, or null on first start. */
    public ObjectNode load() throws IOException {
        return Files.exists(file) ? (ObjectNode) json.readTree(file.toFile()) : null;
    }

    public synchronized void save(ObjectNode state) throws IOException {
        Path tmp = file.resolveSibling("state.json.tmp");
        json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
