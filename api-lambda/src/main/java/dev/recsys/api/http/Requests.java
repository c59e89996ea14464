package dev.recsys.api.http;

import dev.recsys.api.json.Json;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.event.EventLimits;
import dev.recsys.common.keys.ItemsDataset;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import dev.recsys.api.core.RequestOptions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Input validation: every rule here ends in a typed 4xx, never an exception that would become a 5xx. */
public final class Requests {

    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_RANKING_ITEMS = 500;
    /** Personalize's bounds with item metadata: at most 10 Items columns, and then at most 50 items. */
    public static final int MAX_METADATA_COLUMNS = 10;
    public static final int MAX_LIMIT_WITH_METADATA = 50;
    private static final Pattern FILTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** Personalize's key pattern for filterValues (parameter names, without the {@code $}). */
    private static final Pattern PARAMETER = Pattern.compile("[A-Za-z0-9_]{1,50}");
    /** The Items dataset's columns an answer can carry (not ITEM_ID: every item has it). */
    public static final List<String> METADATA_COLUMNS = ItemsDataset.COLUMNS.stream().filter(c -> !c.equals(ItemsDataset.ITEM_ID)).toList();
    private static final String FILTER_VALUES_SHAPE = "filter_values must be a JSON object of parameter name (without $) "
            + "to a string or an array of strings, e.g. {\"GENRE\":[\"comedy\",\"drama\"]}";

    private Requests() {}

    /** Splits a path into percent-decoded segments; a trailing slash is tolerated. */
    public static List<String> segments(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            throw ApiError.badRequest("invalid_path", "path must start with '/'");
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        List<String> out = new ArrayList<>();
        for (String s : p.substring(1).split("/", -1)) {
            out.add(percentDecode(s));
        }
        return out;
    }

    /** Strict RFC 3986 decoding ('+' stays '+'); malformed escapes or bytes are a 400. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw ApiError.badRequest("invalid_path", "malformed percent-encoding in path");
                }
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public static String id(String value, String field) {
        if (value == null) {
            throw ApiError.badRequest("missing_" + field, field + " is required");
        }
        if (!EventLimits.isValidId(value)) {
            throw ApiError.badRequest("invalid_" + field, field + " must be 1.." + EventLimits.MAX_ID_LENGTH
                    + " characters of [A-Za-z0-9_.:@/+=-], starting with a letter or digit");
        }
        return value;
    }

    public static int limit(String raw, String field) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid_" + field, field + " must be an integer in " + MIN_LIMIT + ".." + MAX_LIMIT);
        }
        return checkLimit(n, field);
    }

    private static int checkLimit(int n, String field) {
        if (n < MIN_LIMIT || n > MAX_LIMIT) {
            throw ApiError.badRequest("invalid_" + field, field + " must be an integer in " + MIN_LIMIT + ".." + MAX_LIMIT);
        }
        return n;
    }

    public static String filterName(String raw) {
        if (raw == null) {
            return null;
        }
        if (!FILTER_NAME.matcher(raw).matches()) {
            throw ApiError.badRequest("invalid_filter", "filter must be 1..64 characters of [A-Za-z0-9_-]");
        }
        return raw;
    }

    /** A GET's filter options: {@code filter}, {@code filter_values} (a JSON object) and {@code metadata_columns} (a comma list). */
    public static RequestOptions options(ProxyRequest req) {
        return new RequestOptions(filterName(req.query("filter")), filterValues(req.query("filter_values")),
                metadataColumns(req.query("metadata_columns")));
    }

    /** A POST body's filter options: {@code filter} (string), {@code filter_values} (object), {@code metadata_columns} (array). */
    public static RequestOptions options(JsonNode body) {
        JsonNode filter = body.get("filter");
        if (filter != null && !filter.isNull() && !filter.isTextual()) {
            throw ApiError.badRequest("invalid_filter", "filter must be a string");
        }
        JsonNode columns = body.get("metadata_columns");
        List<String> names = new ArrayList<>();
        if (columns != null && !columns.isNull()) {
            if (!columns.isArray()) throw ApiError.badRequest("invalid_metadata_columns", "metadata_columns must be an array of column names");
            for (JsonNode c : columns) {
                if (!c.isTextual()) throw ApiError.badRequest("invalid_metadata_columns", "metadata_columns must contain strings only");
                names.add(c.textValue());
            }
        }
        return new RequestOptions(filter == null || filter.isNull() ? null : filterName(filter.textValue()),
                filterValuesNode(body.get("filter_values")), checkColumns(names));
    }

    /** The limit, within the lower bound that asking for metadata sets. */
    public static int limitWith(int limit, RequestOptions options, String field) {
        if (!options.metadataColumns().isEmpty() && limit > MAX_LIMIT_WITH_METADATA) {
            throw ApiError.badRequest("invalid_" + field, "with metadata_columns, " + field + " must be an integer in "
                    + MIN_LIMIT + ".." + MAX_LIMIT_WITH_METADATA);
        }
        return limit;
    }

    static Map<String, List<String>> filterValues(String raw) {
        if (raw == null) return Map.of();
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(raw);
        } catch (JacksonException e) {
            throw ApiError.badRequest("invalid_filter_values", FILTER_VALUES_SHAPE);
        }
        if (node == null) throw ApiError.badRequest("invalid_filter_values", FILTER_VALUES_SHAPE);
        return filterValuesNode(node);
    }

    private static Map<String, List<String>> filterValuesNode(JsonNode node) {
        if (node == null || node.isNull()) return Map.of();
        if (!node.isObject()) throw ApiError.badRequest("invalid_filter_values", FILTER_VALUES_SHAPE);
        Map<String, List<String>> out = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            if (!PARAMETER.matcher(f.getKey()).matches()) {
                throw ApiError.badRequest("invalid_filter_values", "filter_values: parameter names are 1..50 characters of [A-Za-z0-9_] (without $)");
            }
            List<String> values = new ArrayList<>();
            if (f.getValue().isTextual()) {
                values.add(f.getValue().textValue());
            } else if (f.getValue().isArray() && !f.getValue().isEmpty()) {
                for (JsonNode v : f.getValue()) {
                    if (!v.isTextual()) throw ApiError.badRequest("invalid_filter_values", FILTER_VALUES_SHAPE);
                    values.add(v.textValue());
                }
            } else {
                throw ApiError.badRequest("invalid_filter_values", FILTER_VALUES_SHAPE);
            }
            out.put(f.getKey(), values);
        }
        return out;
    }

    static List<String> metadataColumns(String raw) {
        if (raw == null) return List.of();
        return checkColumns(List.of(raw.split(",", -1)));
    }

    private static List<String> checkColumns(List<String> names) {
        if (names.size() > MAX_METADATA_COLUMNS || new LinkedHashSet<>(names).size() != names.size()
                || !METADATA_COLUMNS.containsAll(names)) {
            throw ApiError.badRequest("invalid_metadata_columns", "metadata_columns: at most " + MAX_METADATA_COLUMNS
                    + " distinct columns of " + METADATA_COLUMNS);
        }
        return List.copyOf(names);
    }

    /** The JSON object body of a POST: content type, size, encoding and shape checked in that order. */
    public static JsonNode jsonBody(ProxyRequest req, int maxBytes) {
        String contentType = req.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim().equals("application/json")) {
            throw ApiError.unsupportedMediaType("Content-Type must be application/json");
        }
        String body = req.body();
        if (body == null || body.isEmpty()) {
            throw ApiError.badRequest("missing_body", "a JSON object body is required");
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(req.isBase64Encoded())) {
            if (body.length() > (maxBytes / 3 + 1) * 4) {
                throw ApiError.tooLarge("body exceeds " + maxBytes + " bytes");
            }
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("malformed_body", "body is flagged base64 but is not valid base64");
            }
        } else {
            if (body.length() > maxBytes) {
                throw ApiError.tooLarge("body exceeds " + maxBytes + " bytes");
            }
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > maxBytes) {
            throw ApiError.tooLarge("body exceeds " + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiError.badRequest("malformed_json", "body is not valid JSON");
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("malformed_json", "body could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("invalid_body", "body must be a JSON object");
        }
        return node;
    }

    public static String idField(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiError.badRequest("missing_" + field, field + " is required");
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest("invalid_" + field, field + " must be a string");
        }
        return id(v.textValue(), field);
    }

    public static int limitField(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return DEFAULT_LIMIT;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.badRequest("invalid_" + field, field + " must be an integer in " + MIN_LIMIT + ".." + MAX_LIMIT);
        }
        return checkLimit(v.intValue(), field);
    }

    public static List<String> idList(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiError.badRequest("missing_" + field, field + " is required");
        }
        if (!v.isArray() || v.isEmpty() || v.size() > MAX_RANKING_ITEMS) {
            throw ApiError.badRequest("invalid_" + field, field + " must be an array of 1.." + MAX_RANKING_ITEMS + " item ids");
        }
        List<String> ids = new ArrayList<>(v.size());
        for (JsonNode n : v) {
            if (!n.isTextual()) {
                throw ApiError.badRequest("invalid_" + field, field + " must contain strings only");
            }
            ids.add(id(n.textValue(), "item_id"));
        }
        return ids;
    }
}
