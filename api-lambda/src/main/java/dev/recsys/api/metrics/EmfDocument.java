package dev.recsys.api.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.recsys.api.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One CloudWatch Embedded Metric Format document (a JSON log line CloudWatch turns into metrics).
 * Metrics sharing a dimension set share one directive; dimension values and plain properties are
 * root members, as the format requires. Small and composable: each concern adds its own metrics.
 */
public final class EmfDocument {

    public enum Unit {
        Milliseconds, Count, None
    }

    private record MetricValue(String name, double value, Unit unit) {}

    private final String namespace;
    private final long timestampMillis;
    private final Map<List<String>, List<MetricValue>> byDimensions = new LinkedHashMap<>();
    private final Map<String, Object> root = new LinkedHashMap<>();

    public EmfDocument(String namespace, long timestampMillis) {
        this.namespace = Objects.requireNonNull(namespace);
        this.timestampMillis = timestampMillis;
    }

    /** Adds a metric under the given dimensions (name → value, in order). */
    public EmfDocument metric(String name, double value, Unit unit, Map<String, String> dimensions) {
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            Object previous = root.putIfAbsent(d.getKey(), d.getValue());
            if (previous != null && !previous.equals(d.getValue())) {
                throw new IllegalArgumentException("dimension " + d.getKey() + " already set to " + previous);
            }
        }
        byDimensions.computeIfAbsent(List.copyOf(dimensions.keySet()), k -> new ArrayList<>())
                .add(new MetricValue(name, value, unit));
        return this;
    }

    /** A searchable property that is not a metric (request id, status, ...). Null values are skipped. */
    public EmfDocument property(String name, Object value) {
        if (value != null) {
            root.put(name, value);
        }
        return this;
    }

    public String toJson() {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", timestampMillis);
            g.writeArrayFieldStart("CloudWatchMetrics");
            for (Map.Entry<List<String>, List<MetricValue>> e : byDimensions.entrySet()) {
                g.writeStartObject();
                g.writeStringField("Namespace", namespace);
                g.writeArrayFieldStart("Dimensions");
                g.writeStartArray();
                for (String d : e.getKey()) {
                    g.writeString(d);
                }
                g.writeEndArray();
                g.writeEndArray();
                g.writeArrayFieldStart("Metrics");
                for (MetricValue m : e.getValue()) {
                    g.writeStartObject();
                    g.writeStringField("Name", m.name());
                    g.writeStringField("Unit", m.unit().name());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            for (Map.Entry<String, Object> r : root.entrySet()) {
                g.writeObjectField(r.getKey(), r.getValue());
            }
            for (List<MetricValue> metrics : byDimensions.values()) {
                for (MetricValue m : metrics) {
                    g.writeNumberField(m.name(), m.value());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
