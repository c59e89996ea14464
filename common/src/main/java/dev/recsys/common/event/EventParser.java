package dev.recsys.common.event;

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
import java.util.Iterator;
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
        if (data.length > limits.maxRecordBytes()) {
            return ParseResult.reject(RejectReason.RECORD_TOO_LARGE,
                    "record is " + data.length + " bytes; the limit is " + limits.maxRecordBytes());
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
        return fromObject((ObjectNode) root, origin);
    }

    private ParseResult fromObject(ObjectNode obj, RecordOrigin origin) {
        String eventId;
        JsonNode idNode = obj.get("event_id");
        if (idNode == null || idNode.isNull()) {
            eventId = origin.derivedEventId();
        } else if (!idNode.isTextual()) {
            return wrongType("event_id", "string", idNode);
        } else if (!EventLimits.isValidId(idNode.textValue())) {
            return invalidId("event_id", idNode.textValue());
        } else {
            eventId = idNode.textValue();
        }

        Field userId = requiredId(obj, "user_id");
        if (userId.rejection != null) return userId.rejection;
        Field itemId = requiredId(obj, "item_id");
        if (itemId.rejection != null) return itemId.rejection;

        JsonNode typeNode = obj.get("event_type");
        if (typeNode == null || typeNode.isNull()) {
            return ParseResult.reject(RejectReason.MISSING_FIELD, "missing required field event_type");
        }
        if (!typeNode.isTextual()) {
            return wrongType("event_type", "string", typeNode);
        }
        String eventType = typeNode.textValue();
        if (!EventLimits.EVENT_TYPE.matcher(eventType).matches()) {
            return ParseResult.reject(RejectReason.INVALID_EVENT_TYPE, "event_type must match "
                    + EventLimits.EVENT_TYPE.pattern() + " (got " + preview(eventType) + ")");
        }

        Double eventValue = null;
        JsonNode valueNode = obj.get("event_value");
        if (valueNode != null && !valueNode.isNull()) {
            if (!valueNode.isNumber()) {
                return wrongType("event_value", "number", valueNode);
            }
            double v = valueNode.doubleValue();
            if (!Double.isFinite(v) || Math.abs(v) > EventLimits.MAX_ABS_EVENT_VALUE) {
                return ParseResult.reject(RejectReason.INVALID_EVENT_VALUE,
                        "event_value must be finite with magnitude <= " + EventLimits.MAX_ABS_EVENT_VALUE);
            }
            eventValue = v;
        }

        long timestamp;
        JsonNode tsNode = obj.get("timestamp");
        if (tsNode == null || tsNode.isNull()) {
            timestamp = origin.approximateArrivalMillis();
        } else if (tsNode.isIntegralNumber() && tsNode.canConvertToLong()) {
            timestamp = tsNode.longValue();
        } else if (tsNode.isTextual()) {
            try {
                timestamp = Instant.parse(tsNode.textValue()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                return ParseResult.reject(RejectReason.WRONG_TYPE,
                        "timestamp must be epoch milliseconds or an ISO-8601 instant (got " + preview(tsNode.textValue()) + ")");
            }
        } else {
            return wrongType("timestamp", "integer epoch milliseconds", tsNode);
        }
        long now = clock.millis();
        if (timestamp > now + limits.maxFutureSkew().toMillis()) {
            return ParseResult.reject(RejectReason.TIMESTAMP_IN_FUTURE, "timestamp " + timestamp
                    + " is more than " + limits.maxFutureSkew() + " ahead of now (" + now + ")");
        }
        if (timestamp < EventLimits.MIN_PLAUSIBLE_MILLIS) {
            return ParseResult.reject(RejectReason.TIMESTAMP_TOO_OLD, "timestamp " + timestamp
                    + " is before 2001-09-09: epoch seconds sent where milliseconds are expected?");
        }
        if (timestamp < now - limits.maxAge().toMillis()) {
            return ParseResult.reject(RejectReason.TIMESTAMP_TOO_OLD, "timestamp " + timestamp
                    + " is older than " + limits.maxAge().toDays() + " days");
        }

        String sessionId = null;
        JsonNode sessionNode = obj.get("session_id");
        if (sessionNode != null && !sessionNode.isNull()) {
            if (!sessionNode.isTextual()) {
                return wrongType("session_id", "string", sessionNode);
            }
            sessionId = sessionNode.textValue();
            if (sessionId.isEmpty() || sessionId.length() > EventLimits.MAX_SESSION_ID_LENGTH || hasControlChars(sessionId)) {
                return invalidId("session_id", sessionId);
            }
        }

        Map<String, String> properties = Map.of();
        JsonNode propsNode = obj.get("properties");
        if (propsNode != null && !propsNode.isNull()) {
            if (!propsNode.isObject()) {
                return wrongType("properties", "object of strings", propsNode);
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
                eventValue, timestamp, sessionId, properties));
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
