package dev.recsys.common.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The canonical JSON form of an event: what producers send, and one line of the S3 raw JSON Lines.
 * Field names are the contract's snake_case names; absent optionals are omitted.
 */
public final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private EventJson() {}

    public static byte[] toBytes(InteractionEvent e) {
        return toJson(e).getBytes(StandardCharsets.UTF_8);
    }

    public static String toJson(InteractionEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event_id", e.eventId());
            g.writeStringField("user_id", e.userId());
            g.writeStringField("item_id", e.itemId());
            g.writeStringField("event_type", e.eventType());
            if (e.eventValue() != null) {
                g.writeNumberField("event_value", e.eventValue());
            }
            g.writeNumberField("timestamp", e.timestampMillis());
            if (e.sessionId() != null) {
                g.writeStringField("session_id", e.sessionId());
            }
            if (!e.properties().isEmpty()) {
                g.writeObjectFieldStart("properties");
                for (Map.Entry<String, String> p : e.properties().entrySet()) {
                    g.writeStringField(p.getKey(), p.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
