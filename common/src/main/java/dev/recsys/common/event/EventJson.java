package dev.recsys.common.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The canonical JSON form of the stream's records (interactions and exposures): what producers send,
 * and one line of the S3 raw JSON Lines.
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
            if (e.recommendationId() != null) {
                g.writeStringField("recommendation_id", e.recommendationId());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static byte[] toBytes(Exposure x) {
        return toJson(x).getBytes(StandardCharsets.UTF_8);
    }

    /** An exposure record as the API puts it on the stream and the consumer archives it. */
    public static String toJson(Exposure x) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 16 * x.items().size());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("record_type", Exposure.RECORD_TYPE);
            g.writeStringField("recommendation_id", x.recommendationId());
            g.writeNumberField("timestamp", x.timestampMillis());
            g.writeStringField("route", x.route());
            g.writeStringField("experiment", x.experiment());
            g.writeStringField("variant", x.variant());
            optional(g, "campaign_arn", x.campaignArn());
            optional(g, "model_version", x.modelVersion());
            optional(g, "model_recommendation_id", x.modelRecommendationId());
            g.writeStringField("source", x.source());
            optional(g, "fallback_reason", x.fallbackReason());
            optional(g, "user_id", x.userId());
            optional(g, "item_id", x.itemId());
            g.writeArrayFieldStart("items");
            for (String i : x.items()) g.writeString(i);
            g.writeEndArray();
            g.writeBooleanField("cached", x.cached());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) g.writeStringField(name, value);
    }
}
