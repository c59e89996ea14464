package dev.recsys.personalize.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.personalize.engine.catalog.ItemField;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The fields of a Personalize schema (Avro record JSON): upper-case name mapped to nullability. */
final class SchemaFields {

    private static final Set<String> NUMERIC = Set.of("long", "int", "float", "double");

    private static final Set<String> PRIMITIVES = Set.of("string", "long", "int", "float", "double", "boolean", "null");

    private SchemaFields() {}

    static Map<String, Boolean> parse(String schema, ObjectMapper json) {
        JsonNode root;
        try {
            root = json.readTree(schema);
        } catch (IOException e) {
            throw ServiceException.invalid("The schema is not valid JSON: " + e.getMessage());
        }
        if (root == null || !"record".equals(root.path("type").asText()) || !root.path("name").isTextual()) {
            throw ServiceException.invalid("The schema must be an Avro record with a name");
        }
        JsonNode fields = root.path("fields");
        if (!fields.isArray() || fields.isEmpty()) throw ServiceException.invalid("The schema must have a non-empty fields array");
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (JsonNode f : fields) {
            if (!f.path("name").isTextual()) throw ServiceException.invalid("Every schema field needs a name");
            String name = f.get("name").asText().toUpperCase(Locale.ROOT);
            JsonNode type = f.path("type");
            boolean nullable = false;
            if (type.isTextual()) {
                checkType(name, type.asText());
            } else if (type.isArray() && !type.isEmpty()) {
                for (JsonNode t : type) {
                    checkType(name, t.asText());
                    if ("null".equals(t.asText())) nullable = true;
                }
            } else {
                throw ServiceException.invalid("Field " + name + " has no valid type");
            }
            if (out.put(name, nullable) != null) throw ServiceException.invalid("Field " + name + " appears twice");
        }
        return out;
    }

    /**
     * How filters and metadata read each field of an Items schema: strings marked {@code "categorical": true}
     * hold {@code |}-separated values, numeric types are numbers; other fields are display values only.
     */
    static Map<String, ItemField> itemFields(String schema, ObjectMapper json) {
        Map<String, Boolean> nullable = parse(schema, json);
        Map<String, ItemField> out = new LinkedHashMap<>();
        try {
            for (JsonNode f : json.readTree(schema).path("fields")) {
                String name = f.get("name").asText().toUpperCase(Locale.ROOT);
                boolean numeric = false;
                for (JsonNode t : f.path("type").isArray() ? f.path("type") : json.createArrayNode().add(f.path("type"))) {
                    numeric |= NUMERIC.contains(t.asText());
                }
                boolean categorical = !numeric && f.path("categorical").asBoolean(false);
                out.put(name, new ItemField(nullable.get(name), categorical, numeric));
            }
        } catch (IOException e) {
            throw ServiceException.invalid("The schema is not valid JSON: " + e.getMessage());
        }
        return out;
    }

    /** Checks that a schema fits a dataset type, e.g. Interactions needs USER_ID, ITEM_ID and TIMESTAMP. */
    static void requireFor(String datasetType, Map<String, Boolean> fields) {
        Set<String> required = switch (datasetType.toUpperCase(Locale.ROOT)) {
            case "INTERACTIONS" -> Set.of("USER_ID", "ITEM_ID", "TIMESTAMP");
            case "ITEMS" -> Set.of("ITEM_ID");
            case "USERS" -> Set.of("USER_ID");
            default -> throw ServiceException.invalid("Dataset type " + datasetType + " is not supported (Interactions, Items, Users)");
        };
        for (String r : required) {
            if (!fields.containsKey(r)) throw ServiceException.invalid("A " + datasetType + " schema needs the field " + r);
            if (fields.get(r)) throw ServiceException.invalid("Field " + r + " must not be nullable");
        }
    }

    private static void checkType(String field, String type) {
        if (!PRIMITIVES.contains(type)) throw ServiceException.invalid("Field " + field + " has unsupported type " + type);
    }
}
