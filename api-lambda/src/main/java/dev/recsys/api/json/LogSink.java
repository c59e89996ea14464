package dev.recsys.api.json;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where structured lines go: stdout in Lambda (CloudWatch Logs parses EMF and JSON from there).
 * Every line is one JSON object; {@link #log} writes the non-metric events (warnings with a request id).
 * Here beside {@link Json}, not in {@code metrics}: HTTP, the handler and the adapters all log, and this
 * package depends on nothing else in the API.
 */
public final class LogSink {

    private final Consumer<String> lines;

    public LogSink(Consumer<String> lines) {
        this.lines = lines;
    }

    public static LogSink stdout() {
        PrintStream out = System.out;
        return new LogSink(out::println);
    }

    /** Discards everything: for benchmarks that measure the handler, not the terminal. */
    public static LogSink discard() {
        return new LogSink(line -> { });
    }

    /** Writes one line that is already a JSON object (an EMF document). */
    public void line(String json) {
        lines.accept(json);
    }

    /** Writes {"time","level","message",...fields}; fields are name/value pairs, nulls skipped. */
    public void log(String level, String message, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                line.put(String.valueOf(fields[i]), fields[i + 1]);
            }
        }
        try {
            lines.accept(Json.MAPPER.writeValueAsString(line));
        } catch (Exception e) {
            lines.accept("{\"level\":\"ERROR\",\"message\":\"log line could not be written\"}");
        }
    }
}
