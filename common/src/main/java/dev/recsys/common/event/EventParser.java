package dev.recsys.common.event;

import static dev.recsys.common.event.EventFields.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.catalog.CatalogFields;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogLimits;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.catalog.UserFields;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns the bytes of one Kinesis user record into an {@link InteractionEvent}, an {@link Exposure}, a
 * {@link CatalogItem}, a {@link CatalogUser} (told apart by {@code record_type}) or a typed {@link ParseResult.Rejected}. It never throws on input: hostile bytes are data, not errors.
 * Thread-safe.
 *
 * <p>Why one class of this size: the four record types share the envelope rules, the limits and the reject reasons,
 * and every check runs in one pass over the JSON tree without throwing; each type's fields are private methods here.
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
        if (type.textValue().equals(CatalogFields.RECORD_TYPE_ITEM)) {
            return data.length > limits.maxRecordBytes() ? tooLarge(data.length, limits.maxRecordBytes()) : item(obj);
        }
        if (type.textValue().equals(UserFields.RECORD_TYPE_USER)) {
            return data.length > limits.maxRecordBytes() ? tooLarge(data.length, limits.maxRecordBytes()) : user(obj);
        }
        return ParseResult.reject(RejectReason.UNKNOWN_RECORD_TYPE, "record_type must be absent (an interaction), \""
                + Exposure.RECORD_TYPE + "\", \"" + CatalogFields.RECORD_TYPE_ITEM + "\" or \"" + UserFields.RECORD_TYPE_USER
                + "\" (got " + preview(type.textValue()) + ")");
    }

    private static final Set<String> USER_DELETE_FIELDS = Set.of(RECORD_TYPE, UserFields.USER_ID, UserFields.OPERATION,
            UserFields.UPDATED_AT);
    private static final Set<String> USER_UPSERT_FIELDS = Set.of(RECORD_TYPE, UserFields.USER_ID, UserFields.OPERATION,
            UserFields.UPDATED_AT, UserFields.SEGMENT, UserFields.MEMBERSHIP, UserFields.AGE);

    private ParseResult user(ObjectNode obj) {
        Field userId = requiredId(obj, UserFields.USER_ID);
        if (userId.rejection != null) return userId.rejection;
        Change change = change(obj, "a user", USER_DELETE_FIELDS, USER_UPSERT_FIELDS);
        if (change.rejection != null) return change.rejection;
        if (change.operation == CatalogItem.Operation.DELETE) {
            return new ParseResult.AcceptedUser(CatalogUser.delete(userId.value, change.updatedAt));
        }
        Text segment = categorical(obj.get(UserFields.SEGMENT), UserFields.SEGMENT);
        if (segment.rejection != null) return segment.rejection;
        Text membership = categorical(obj.get(UserFields.MEMBERSHIP), UserFields.MEMBERSHIP);
        if (membership.rejection != null) return membership.rejection;
        Integer age = null;
        JsonNode ageNode = obj.get(UserFields.AGE);
        if (ageNode != null && !ageNode.isNull()) {
            if (!ageNode.isIntegralNumber()) return wrongType(UserFields.AGE, "whole number", ageNode);
            if (!ageNode.canConvertToInt() || ageNode.intValue() < 0 || ageNode.intValue() > CatalogLimits.MAX_AGE) {
                return ParseResult.reject(RejectReason.INVALID_FIELD_VALUE, UserFields.AGE + " must be in 0.." + CatalogLimits.MAX_AGE
                        + " (got " + preview(ageNode.asText()) + ")");
            }
            age = ageNode.intValue();
        }
        return new ParseResult.AcceptedUser(CatalogUser.upsert(userId.value, change.updatedAt, segment.value, membership.value, age));
    }

    private static final Set<String> DELETE_FIELDS = Set.of(RECORD_TYPE, CatalogFields.ITEM_ID, CatalogFields.OPERATION,
            CatalogFields.UPDATED_AT);
    private static final Set<String> UPSERT_FIELDS = Set.of(RECORD_TYPE, CatalogFields.ITEM_ID, CatalogFields.OPERATION,
            CatalogFields.UPDATED_AT, CatalogFields.CATEGORY, CatalogFields.BRAND, CatalogFields.GENRES, CatalogFields.PRICE,
            CatalogFields.CREATION_TIMESTAMP, CatalogFields.AVAILABLE, CatalogFields.DISPLAY);

    private ParseResult item(ObjectNode obj) {
        Field itemId = requiredId(obj, CatalogFields.ITEM_ID);
        if (itemId.rejection != null) return itemId.rejection;
        Change change = change(obj, "an item", DELETE_FIELDS, UPSERT_FIELDS);
        if (change.rejection != null) return change.rejection;
        if (change.operation == CatalogItem.Operation.DELETE) {
            return new ParseResult.AcceptedItem(CatalogItem.delete(itemId.value, change.updatedAt));
        }
        Text category = categorical(obj.get(CatalogFields.CATEGORY), CatalogFields.CATEGORY);
        if (category.rejection != null) return category.rejection;
        Text brand = categorical(obj.get(CatalogFields.BRAND), CatalogFields.BRAND);
        if (brand.rejection != null) return brand.rejection;

        List<String> genres = new ArrayList<>();
        JsonNode genresNode = obj.get(CatalogFields.GENRES);
        if (genresNode != null && !genresNode.isNull()) {
            if (!genresNode.isArray()) return wrongType(CatalogFields.GENRES, "array of strings", genresNode);
            if (genresNode.size() > CatalogLimits.MAX_GENRES) {
                return ParseResult.reject(RejectReason.TOO_MANY_FIELDS, CatalogFields.GENRES + " has " + genresNode.size()
                        + " values; the limit is " + CatalogLimits.MAX_GENRES);
            }
            Set<String> seen = new HashSet<>();
            for (JsonNode g : genresNode) {
                String name = CatalogFields.GENRES + "[" + genres.size() + "]";
                Text genre = categorical(g, name);
                if (genre.rejection != null) return genre.rejection;
                if (genre.value == null) return wrongType(name, "string", g);
                if (!seen.add(genre.value)) {
                    return ParseResult.reject(RejectReason.INVALID_FIELD_VALUE, CatalogFields.GENRES + " lists "
                            + preview(genre.value) + " twice");
                }
                genres.add(genre.value);
            }
        }

        Double price = null;
        JsonNode priceNode = obj.get(CatalogFields.PRICE);
        if (priceNode != null && !priceNode.isNull()) {
            if (!priceNode.isNumber()) return wrongType(CatalogFields.PRICE, "number", priceNode);
            double v = priceNode.doubleValue();
            if (!(v >= 0 && v <= CatalogLimits.MAX_PRICE)) {
                return ParseResult.reject(RejectReason.INVALID_FIELD_VALUE, CatalogFields.PRICE + " must be in 0.."
                        + (long) CatalogLimits.MAX_PRICE + " (got " + preview(priceNode.asText()) + ")");
            }
            price = v;
        }

        Timestamp created = time(obj.get(CatalogFields.CREATION_TIMESTAMP), CatalogFields.CREATION_TIMESTAMP, null, false);
        if (created.rejection != null) return created.rejection;

        JsonNode availableNode = obj.get(CatalogFields.AVAILABLE);
        if (availableNode == null || availableNode.isNull()) {
            return ParseResult.reject(RejectReason.MISSING_FIELD, "missing required field " + CatalogFields.AVAILABLE);
        }
        if (!availableNode.isBoolean()) return wrongType(CatalogFields.AVAILABLE, "boolean", availableNode);

        Map<String, String> display = new LinkedHashMap<>();
        JsonNode displayNode = obj.get(CatalogFields.DISPLAY);
        if (displayNode != null && !displayNode.isNull()) {
            if (!displayNode.isObject()) return wrongType(CatalogFields.DISPLAY, "object of strings", displayNode);
            if (displayNode.size() > CatalogLimits.MAX_DISPLAY_FIELDS) {
                return ParseResult.reject(RejectReason.TOO_MANY_FIELDS, CatalogFields.DISPLAY + " has " + displayNode.size()
                        + " fields; the limit is " + CatalogLimits.MAX_DISPLAY_FIELDS);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = displayNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!CatalogLimits.DISPLAY_KEY.matcher(e.getKey()).matches()) {
                    return ParseResult.reject(RejectReason.INVALID_FIELD_VALUE, CatalogFields.DISPLAY + " key " + preview(e.getKey())
                            + " must match " + CatalogLimits.DISPLAY_KEY.pattern());
                }
                String name = CatalogFields.DISPLAY + "." + e.getKey();
                if (!e.getValue().isTextual()) return wrongType(name, "string", e.getValue());
                String v = e.getValue().textValue();
                if (v.length() > CatalogLimits.MAX_DISPLAY_VALUE_LENGTH) {
                    return ParseResult.reject(RejectReason.FIELD_TOO_LARGE, name + " is " + v.length()
                            + " characters; the limit is " + CatalogLimits.MAX_DISPLAY_VALUE_LENGTH);
                }
                if (!CatalogLimits.isDisplayValue(v)) {
                    return ParseResult.reject(RejectReason.INVALID_FIELD_VALUE, name + (v.isEmpty() ? " is empty (omit it instead)"
                            : " contains control characters (only line breaks and tabs are allowed)"));
                }
                display.put(e.getKey(), v);
            }
        }
        return new ParseResult.AcceptedItem(new CatalogItem(itemId.value, change.operation, change.updatedAt, category.value,
                brand.value, genres, price, created.millis, availableNode.booleanValue(), display));
    }

    /** A catalog record's operation and update time, or why they are refused. */
    private record Change(CatalogItem.Operation operation, long updatedAt, ParseResult rejection) {}

    /** The part item and user records share: the operation, no field outside the operation's set, the update time. */
    private Change change(ObjectNode obj, String kind, Set<String> deleteFields, Set<String> upsertFields) {
        Text op = requiredText(obj, CatalogFields.OPERATION);
        if (op.rejection != null) return new Change(null, 0, op.rejection);
        CatalogItem.Operation operation = CatalogItem.Operation.fromWire(op.value);
        if (operation == null) {
            return new Change(null, 0, ParseResult.reject(RejectReason.INVALID_OPERATION, "operation must be \""
                    + CatalogItem.Operation.UPSERT.wire() + "\" or \"" + CatalogItem.Operation.DELETE.wire() + "\" (got " + preview(op.value) + ")"));
        }
        Set<String> allowed = operation == CatalogItem.Operation.DELETE ? deleteFields : upsertFields;
        for (Iterator<String> names = obj.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                return new Change(null, 0, ParseResult.reject(RejectReason.UNKNOWN_FIELD, kind + " " + operation.wire()
                        + " has no field " + preview(name) + "; its fields are " + new java.util.TreeSet<>(allowed)));
            }
        }
        Timestamp updatedAt = time(obj.get(CatalogFields.UPDATED_AT), CatalogFields.UPDATED_AT, null, false);
        if (updatedAt.rejection != null) return new Change(null, 0, updatedAt.rejection);
        return new Change(operation, updatedAt.millis, null);
    }

    /** An optional categorical value (null when absent). */
    private static Text categorical(JsonNode node, String name) {
        if (node == null || node.isNull()) return new Text(null, null);
        if (!node.isTextual()) return new Text(null, wrongType(name, "string", node));
        String v = node.textValue();
        if (v.length() > CatalogLimits.MAX_CATEGORICAL_LENGTH) {
            return new Text(null, ParseResult.reject(RejectReason.FIELD_TOO_LARGE, name + " is " + v.length()
                    + " characters; the limit is " + CatalogLimits.MAX_CATEGORICAL_LENGTH));
        }
        if (!CatalogLimits.isCategorical(v)) {
            return new Text(null, ParseResult.reject(RejectReason.INVALID_FIELD_VALUE, name + " must match "
                    + CatalogLimits.CATEGORICAL.pattern() + " (got " + preview(v) + ")"));
        }
        return new Text(v, null);
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
        return time(tsNode, TIMESTAMP, fallback, true);
    }

    /**
     * A point in time, epoch ms or ISO-8601, never ahead of now by more than the skew.
     *
     * @param maxAgeApplies whether it must also be recent (event times must; an item's update or creation time need not)
     */
    private Timestamp time(JsonNode tsNode, String field, Long fallback, boolean maxAgeApplies) {
        long timestamp;
        if (tsNode == null || tsNode.isNull()) {
            if (fallback == null) return new Timestamp(0, ParseResult.reject(RejectReason.MISSING_FIELD, "missing required field " + field));
            timestamp = fallback;
        } else if (tsNode.isIntegralNumber() && tsNode.canConvertToLong()) {
            timestamp = tsNode.longValue();
        } else if (tsNode.isTextual()) {
            try {
                timestamp = Instant.parse(tsNode.textValue()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                return new Timestamp(0, ParseResult.reject(RejectReason.WRONG_TYPE,
                        field + " must be epoch milliseconds or an ISO-8601 instant (got " + preview(tsNode.textValue()) + ")"));
            }
        } else {
            return new Timestamp(0, wrongType(field, "integer epoch milliseconds", tsNode));
        }
        long now = clock.millis();
        if (timestamp > now + limits.maxFutureSkew().toMillis()) {
            return new Timestamp(0, ParseResult.reject(RejectReason.TIMESTAMP_IN_FUTURE, field + " " + timestamp
                    + " is more than " + limits.maxFutureSkew() + " ahead of now (" + now + ")"));
        }
        if (timestamp < EventLimits.MIN_PLAUSIBLE_MILLIS) {
            return new Timestamp(0, ParseResult.reject(RejectReason.TIMESTAMP_TOO_OLD, field + " " + timestamp
                    + " is before 2001-09-09: epoch seconds sent where milliseconds are expected?"));
        }
        if (maxAgeApplies && timestamp < now - limits.maxAge().toMillis()) {
            return new Timestamp(0, ParseResult.reject(RejectReason.TIMESTAMP_TOO_OLD, field + " " + timestamp
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
