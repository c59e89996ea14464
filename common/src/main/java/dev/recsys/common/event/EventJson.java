package dev.recsys.common.event;

import static dev.recsys.common.event.EventFields.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.recsys.common.catalog.CatalogFields;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.catalog.UserFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The canonical JSON form of the stream's records (interactions, exposures and catalog items): what producers send,
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
            g.writeStringField(EVENT_ID, e.eventId());
            g.writeStringField(USER_ID, e.userId());
            g.writeStringField(ITEM_ID, e.itemId());
            g.writeStringField(EVENT_TYPE, e.eventType());
            if (e.eventValue() != null) {
                g.writeNumberField(EVENT_VALUE, e.eventValue());
            }
            g.writeNumberField(TIMESTAMP, e.timestampMillis());
            if (e.sessionId() != null) {
                g.writeStringField(SESSION_ID, e.sessionId());
            }
            if (!e.properties().isEmpty()) {
                g.writeObjectFieldStart(PROPERTIES);
                for (Map.Entry<String, String> p : e.properties().entrySet()) {
                    g.writeStringField(p.getKey(), p.getValue());
                }
                g.writeEndObject();
            }
            if (e.recommendationId() != null) {
                g.writeStringField(RECOMMENDATION_ID, e.recommendationId());
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
            g.writeStringField(RECORD_TYPE, Exposure.RECORD_TYPE);
            g.writeStringField(RECOMMENDATION_ID, x.recommendationId());
            g.writeNumberField(TIMESTAMP, x.timestampMillis());
            g.writeStringField(ROUTE, x.route());
            g.writeStringField(EXPERIMENT, x.experiment());
            g.writeStringField(VARIANT, x.variant());
            optional(g, CAMPAIGN_ARN, x.campaignArn());
            optional(g, MODEL_VERSION, x.modelVersion());
            optional(g, MODEL_RECOMMENDATION_ID, x.modelRecommendationId());
            g.writeStringField(SOURCE, x.source());
            optional(g, FALLBACK_REASON, x.fallbackReason());
            optional(g, USER_ID, x.userId());
            optional(g, ITEM_ID, x.itemId());
            g.writeArrayFieldStart(ITEMS);
            for (String i : x.items()) g.writeString(i);
            g.writeEndArray();
            g.writeBooleanField(CACHED, x.cached());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static byte[] toBytes(CatalogItem item) {
        return toJson(item).getBytes(StandardCharsets.UTF_8);
    }

    /** An item record as producers send it and the consumer archives it under {@code raw/items/}. */
    public static String toJson(CatalogItem item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(RECORD_TYPE, CatalogFields.RECORD_TYPE_ITEM);
            g.writeStringField(CatalogFields.OPERATION, item.operation().wire());
            g.writeStringField(CatalogFields.ITEM_ID, item.itemId());
            g.writeNumberField(CatalogFields.UPDATED_AT, item.updatedAt());
            if (!item.isDelete()) {
                optional(g, CatalogFields.CATEGORY, item.category());
                optional(g, CatalogFields.BRAND, item.brand());
                if (!item.genres().isEmpty()) {
                    g.writeArrayFieldStart(CatalogFields.GENRES);
                    for (String genre : item.genres()) g.writeString(genre);
                    g.writeEndArray();
                }
                if (item.price() != null) g.writeNumberField(CatalogFields.PRICE, item.price());
                g.writeNumberField(CatalogFields.CREATION_TIMESTAMP, item.creationTimestamp());
                g.writeBooleanField(CatalogFields.AVAILABLE, item.available());
                if (!item.display().isEmpty()) {
                    g.writeObjectFieldStart(CatalogFields.DISPLAY);
                    for (Map.Entry<String, String> d : item.display().entrySet()) g.writeStringField(d.getKey(), d.getValue());
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static byte[] toBytes(CatalogUser user) {
        return toJson(user).getBytes(StandardCharsets.UTF_8);
    }

    /** A user record as producers send it and the consumer archives it under {@code raw/users/}. */
    public static String toJson(CatalogUser user) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField(RECORD_TYPE, UserFields.RECORD_TYPE_USER);
            g.writeStringField(UserFields.OPERATION, user.operation().wire());
            g.writeStringField(UserFields.USER_ID, user.userId());
            g.writeNumberField(UserFields.UPDATED_AT, user.updatedAt());
            if (!user.isDelete()) {
                optional(g, UserFields.SEGMENT, user.segment());
                optional(g, UserFields.MEMBERSHIP, user.membership());
                if (user.age() != null) g.writeNumberField(UserFields.AGE, user.age());
            }
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
