package dev.recsys.common.event;

import static dev.recsys.common.event.EventFields.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the bytes of one Kinesis user record into an {@link InteractionEvent} or a typed
 * {@link ParseResult.Rejected}. It never throws on input: hostile bytes are data, not errors.
 * Thread-safe.
 */
public final class EventParser {

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxNumberLength(64)
                    .maxStringLength(64 * 1024)
                    .build())
            .build());

    private final EventLimits limits;
    private final Clock clock;

    public EventParser(EventLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    public EventParser() {
        this(EventLimits.DEFAULT, Clock.systemUTC());
    }

    public EventLimits limits() {
        return limits;
    }

    public ParseResult parse(ByteBuffer data, RecordOrigin origin) {
        ByteBuffer copy = data.asReadOnlyBuffer();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return parse(bytes, origin);
    }

    public ParseResult parse(byte[] data, RecordOrigin origin) {
        try {
            return parseChecked(data, origin);
        } catch (RuntimeException | StackOverflowError e) {
            // Defence in depth: the contract is "never throws"; a bug here must dead-letter, not stall a shard.
            return ParseResult.reject(RejectReason.INVALID_JSON, "unparseable record: " + e.getClass().getSimpleName());
        }
    }

    private ParseResult parseChecked(byte[] data, RecordOrigin origin) {
        if (data == null || data.length == 0) {
            return ParseResult.reject(RejectReason.EMPTY_RECORD, "record has no data");
        }
        if (data.length > Math.max(limits.maxRecordBytes(), EventLimits.MAX_EXPOSURE_BYTES)) {
            return tooLarge(data.length, Math.max(limits.maxRecordBytes(), EventLimits.MAX_EXPOSURE_BYTES));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return ParseResult.reject(RejectReason.NOT_UTF8, "record is not valid UTF-8");
        }
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(text)) {
            root = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                return ParseResult.reject(RejectReason.INVALID_JSON, "trailing content after the JSON value");
            }
        } catch (Exception e) {
            return ParseResult.reject(RejectReason.INVALID_JSON, "invalid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return ParseResult.reject(RejectReason.NOT_A_JSON_OBJECT,
                    "expected a JSON object, got " + (root == null ? "nothing" : root.getNodeType().name().toLowerCase()));
        }
        ObjectNode obj = (ObjectNode) root;
        JsonNode type = obj.get(RECORD_TYPE);
        if (type == null || type.isNull()) {
            // Interactions predate record types: a record without one is an interaction.
            return data.length > limits.maxRecordBytes() ? tooLarge(data.length, limits.maxRecordBytes()) : fromObject(obj, origin);
        }
        if (!type.isTextual()) return wrongType(RECORD_TYPE, "string", type);
        if (type.textValue().equals(Exposure.RECORD_TYPE)) return exposure(obj);
        return ParseResult.reject(RejectReason.UNKNOWN_RECORD_TYPE, "record_type must be absent (an interaction) or \""
                + Exposure.RECORD_TYPE + "\" (got " + preview(type.textValue()) + ")");
    }

    private static ParseResult tooLarge(int bytes, int limit) {
        return ParseResult.reject(RejectReason.RECORD_TOO_LARGE, "record is " + bytes + " bytes; the limit is " + limit);
    }

    private ParseResult exposure(ObjectNode obj) {
        Field recommendationId = requiredId(obj, RECOMMENDATION_ID);
        if (recommendationId.rejection != null) return recommendationId.rejection;
        Timestamp ts = timestamp(obj.get(TIMESTAMP), null);
        if (ts.rejection != null) return ts.rejection;
        Text route = requiredText(obj, ROUTE);
        if (route.rejection != null) return route.rejection;
        if (!Exposure.ROUTES.contains(route.value)) {
            return ParseResult.reject(RejectReason.INVALID_ROUTE, "route must be one of " + new java.util.TreeSet<>(Exposure.ROUTES)
                    + " (got " + preview(route.value) + ")");
        }
        Field experiment = requiredId(obj, EXPERIMENT);
        if (experiment.rejection != null) return experiment.rejection;
        Field variant = requiredId(obj, VARIANT);
        if (variant.rejection != null) return variant.rejection;
        Text source = requiredText(obj, SOURCE);
        if (source.rejection != null) return source.rejection;
        if (!Exposure.SOURCES.contains(source.value)) {
            return ParseResult.reject(RejectReason.WRONG_TYPE, "source must be one of " + new java.util.TreeSet<>(Exposure.SOURCES)
                    + " (got " + preview(source.value) + ")");
        }
        Text campaign = optionalText(obj, CAMPAIGN_ARN, 2048);
        Text version = optionalText(obj, MODEL_VERSION, 256);
        Text modelRecommendationId = optionalText(obj, MODEL_RECOMMENDATION_ID, 256);
        Text fallbackReason = optionalText(obj, FALLBACK_REASON, 64);
        for (Text t : List.of(campaign, version, modelRecommendationId, fallbackReason)) if (t.rejection != null) return t.rejection;
        Field user = optionalId(obj, USER_ID);
        if (user.rejection != null) return user.rejection;
        Field seed = optionalId(obj, ITEM_ID);
        if (seed.rejection != null) return seed.rejection;
        JsonNode itemsNode = obj.get(ITEMS);
        if (itemsNode == null || !itemsNode.isArray() || itemsNode.size() > Exposure.MAX_ITEMS) {
            return ParseResult.reject(RejectReason.INVALID_ITEMS, "items must be an array of at most " + Exposure.MAX_ITEMS + " item ids");
        }
        List<String> items = new ArrayList<>(itemsNode.size());
        for (JsonNode i : itemsNode) {
            if (!i.isTextual() || !EventLimits.isValidId(i.textValue())) {
                return ParseResult.reject(RejectReason.INVALID_ITEMS, "items[" + items.size() + "] is not a valid item id");
            }
            items.add(i.textValue());
        }
        JsonNode cached = obj.get(CACHED);
        if (cached != null && !cached.isNull() && !cached.isBoolean()) return wrongType(CACHED, "boolean", cached);
        return new ParseResult.AcceptedExposure(new Exposure(recommendationId.value, ts.millis, route.value, experiment.value,
                variant.value, campaign.value, version.value, modelRecommendationId.value, source.value, fallbackReason.value,
                user.value, seed.value, items, cached != null && cached.asBoolean(false)));
    }

    private record Text(String value, ParseResult rejection) {}

    private static Text requiredText(ObjectNode obj, String name) {
        JsonNode node = obj.get(name);
        if (node == null || node.isNull()) {
            return new Text(null, ParseResult.reject(RejectReason.MISSING_FIELD, "missing required field " + name));
        }
        return node.isTextual() ? new Text(node.textValue(), null) : new Text(null, wrongType(name, "string", node));
    }

    private static Text optionalText(ObjectNode obj, String name, int maxLength) {
        JsonNode node = obj.get(name);
        if (node == null || node.isNull()) return new Text(null, null);
        if (!node.isTextual()) return new Text(null, wrongType(name, "string", node));
        String v = node.textValue();
        if (v.isEmpty() || v.length() > maxLength || hasControlChars(v)) {
            return new Text(null, ParseResult.reject(RejectReason.WRONG_TYPE, name + " must be 1.." + maxLength
                    + " printable characters (got " + preview(v) + ")"));
        }
        return new Text(v, null);
    }

    private static Field optionalId(ObjectNode obj, String name) {
        JsonNode node = obj.get(name);
        return node == null || node.isNull() ? new Field(null, null) : requiredId(obj, name);
    }

    private record Timestamp(long millis, ParseResult rejection) {}

    /** @param fallback the value when absent (the record's arrival time), null when the field is required */
    private Timestamp timestamp(JsonNode tsNode, Long fallback) {
        long timestamp;
        if (tsNode == null || tsNode.isNull()) {
            if (fallback == null) return new Timestamp(0, ParseResult.reject(RejectReason.MISSING_FIELD, "missing required field timestamp"));
            timestamp = fallback;
        } else if (tsNode.isIntegralNumber() && tsNode.canConvertToLong()) {
            timestamp = tsNode.longValue();
        } else if (tsNode.isTextual()) {
            try {
                timestamp = Instant.parse(tsNode.textValue()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                return new Timestamp(0, ParseResult.reject(RejectReason.WRONG_TYPE,
                        "timestamp must be epoch milliseconds or an ISO-8601 instant (got " + preview(tsNode.textValue()) + ")"));
            }
        } else {
            return new Timestamp(0, wrongType(TIMESTAMP, "integer epoch milliseconds", tsNode));
        }
        long now = clock.millis();
        if (timestamp > now + limits.maxFutureSkew().toMillis()) {
            return new Timestamp(0, ParseResult.reject(RejectReason.TIMESTAMP_IN_FUTURE, "timestamp " + timestamp
                    + " is more than " + limits.maxFutureSkew() + " ahead of now (" + now + ")"));
        }
        if (timestamp < EventLimits.MIN_PLAUSIBLE_MILLIS) {
            return new Timestamp(0, ParseResult.reject(RejectReason.TIMESTAMP_TOO_OLD, "timestamp " + timestamp
                    + " is before 2001-09-09: epoch seconds sent where milliseconds are expected?"));
        }
        if (timestamp < now - limits.maxAge().toMillis()) {
            return new Timestamp(0, ParseResult.reject(RejectReason.TIMESTAMP_TOO_OLD, "timestamp " + timestamp
                    + " is older than " + limits.maxAge().toDays() + " days"));
        }
        return new Timestamp(timestamp, null);
    }

    private ParseResult fromObject(ObjectNode obj, RecordOrigin origin) {
        String eventId;
        JsonNode idNode = obj.get(EVENT_ID);
        if (idNode == null || idNode.isNull()) {
            eventId = origin.derivedEventId();
        } else if (!idNode.isTextual()) {
            return wrongType(EVENT_ID, "string", idNode);
        } else if (!EventLimits.isValidId(idNode.textValue())) {
            return invalidId(EVENT_ID, idNode.textValue());
        } else {
            eventId = idNode.textValue();
        }

        Field userId = requiredId(obj, USER_ID);
        if (userId.rejection != null) return userId.rejection;
        Field itemId = requiredId(obj, ITEM_ID);
        if (itemId.rejection != null) return itemId.rejection;

        JsonNode typeNode = obj.get(EVENT_TYPE);
        if (typeNode == null || typeNode.isNull()) {
            return ParseResult.reject(RejectReason.MISSING_FIELD, "missing required field event_type");
        }
        if (!typeNode.isTextual()) {
            return wrongType(EVENT_TYPE, "string", typeNode);
        }
        String eventType = typeNode.textValue();
        if (!EventLimits.EVENT_TYPE.matcher(eventType).matches()) {
            return ParseResult.reject(RejectReason.INVALID_EVENT_TYPE, "event_type must match "
                    + EventLimits.EVENT_TYPE.pattern() + " (got " + preview(eventType) + ")");
        }

        Double eventValue = null;
        JsonNode valueNode = obj.get(EVENT_VALUE);
        if (valueNode != null && !valueNode.isNull()) {
            if (!valueNode.isNumber()) {
                return wrongType(EVENT_VALUE, "number", valueNode);
            }
            double v = valueNode.doubleValue();
            if (!Double.isFinite(v) || Math.abs(v) > EventLimits.MAX_ABS_EVENT_VALUE) {
                return ParseResult.reject(RejectReason.INVALID_EVENT_VALUE,
                        "event_value must be finite with magnitude <= " + EventLimits.MAX_ABS_EVENT_VALUE);
            }
            eventValue = v;
        }

        Timestamp ts = timestamp(obj.get(TIMESTAMP), origin.approximateArrivalMillis());
        if (ts.rejection != null) return ts.rejection;
        long timestamp = ts.millis;

        Field recommendationId = optionalId(obj, RECOMMENDATION_ID);
        if (recommendationId.rejection != null) return recommendationId.rejection;

        String sessionId = null;
        JsonNode sessionNode = obj.get(SESSION_ID);
        if (sessionNode != null && !sessionNode.isNull()) {
            if (!sessionNode.isTextual()) {
                return wrongType(SESSION_ID, "string", sessionNode);
            }
            sessionId = sessionNode.textValue();
            if (sessionId.isEmpty() || sessionId.length() > EventLimits.MAX_SESSION_ID_LENGTH || hasControlChars(sessionId)) {
                return invalidId(SESSION_ID, sessionId);
            }
        }

        Map<String, String> properties = Map.of();
        JsonNode propsNode = obj.get(PROPERTIES);
        if (propsNode != null && !propsNode.isNull()) {
            if (!propsNode.isObject()) {
                return wrongType(PROPERTIES, "object of strings", propsNode);
            }
            if (propsNode.size() > EventLimits.MAX_PROPERTIES) {
                return ParseResult.reject(RejectReason.INVALID_PROPERTIES,
                        "properties has " + propsNode.size() + " entries; the limit is " + EventLimits.MAX_PROPERTIES);
            }
            Map<String, String> props = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = propsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!EventLimits.PROPERTY_KEY.matcher(e.getKey()).matches()) {
                    return ParseResult.reject(RejectReason.INVALID_PROPERTIES,
                            "property key " + preview(e.getKey()) + " must match " + EventLimits.PROPERTY_KEY.pattern());
                }
                if (!e.getValue().isTextual()) {
                    return ParseResult.reject(RejectReason.INVALID_PROPERTIES,
                            "property " + e.getKey() + " must be a string (got " + typeName(e.getValue()) + ")");
                }
                String v = e.getValue().textValue();
                if (v.length() > EventLimits.MAX_PROPERTY_VALUE_LENGTH || hasControlChars(v)) {
                    return ParseResult.reject(RejectReason.INVALID_PROPERTIES, "property " + e.getKey()
                            + " must be at most " + EventLimits.MAX_PROPERTY_VALUE_LENGTH + " printable characters");
                }
                props.put(e.getKey(), v);
            }
            properties = props;
        }

        return new ParseResult.Accepted(new InteractionEvent(eventId, userId.value, itemId.value, eventType,
                eventValue, timestamp, sessionId, properties, recommendationId.value));
    }

    private record Field(String value, ParseResult rejection) {}

    private static Field requiredId(ObjectNode obj, String name) {
        JsonNode node = obj.get(name);
        if (node == null || node.isNull()) {
            return new Field(null, ParseResult.reject(RejectReason.MISSING_FIELD, "missing required field " + name));
        }
        if (!node.isTextual()) {
            return new Field(null, wrongType(name, "string", node));
        }
        if (!EventLimits.isValidId(node.textValue())) {
            return new Field(null, invalidId(name, node.textValue()));
        }
        return new Field(node.textValue(), null);
    }

    private static ParseResult wrongType(String field, String expected, JsonNode got) {
        return ParseResult.reject(RejectReason.WRONG_TYPE, field + " must be a " + expected + " (got " + typeName(got) + ")");
    }

    private static ParseResult invalidId(String field, String value) {
        return ParseResult.reject(RejectReason.INVALID_ID, field + " must be 1.." + EventLimits.MAX_ID_LENGTH
                + " characters of [A-Za-z0-9_.:@/+=-], starting alphanumeric (got " + preview(value) + ", length " + value.length() + ")");
    }

    private static String typeName(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }

    private static boolean hasControlChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) return true;
        }
        return false;
    }

    /** A short, log-safe rendering of untrusted text. */
    static String preview(String s) {
        StringBuilder b = new StringBuilder("\"");
        int n = Math.min(s.length(), 40);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(s.length() > n ? "…\"" : "\"").toString();
    }

    private static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }
}
