package dev.recsys.personalize.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Reading and checking the fields of a control-plane request; every failure is an InvalidInputException. */
final class Requests {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,62}");

    private Requests() {}

    static String required(ObjectNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw ServiceException.invalid(field + " is required");
        return v.asText();
    }

    /** The request's {@code name}, checked against Personalize's resource-name rule. */
    static String name(ObjectNode r) {
        String name = required(r, "name");
        checkName(name);
        return name;
    }

    static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ServiceException.invalid("Name '" + name + "' must match [a-zA-Z0-9][a-zA-Z0-9\\-_]* and have at most 63 characters");
        }
    }

    static void copyIfPresent(JsonNode from, ObjectNode to, String... fields) {
        for (String f : fields) if (from.hasNonNull(f)) to.set(f, from.get(f).deepCopy());
    }

    /** Keeps resources whose {@code field} equals the request's {@code field}, or all when the request has none. */
    static Predicate<ObjectNode> matching(ObjectNode r, String field) {
        String wanted = r.path(field).asText("");
        return n -> wanted.isEmpty() || wanted.equals(n.path(field).asText());
    }
}
