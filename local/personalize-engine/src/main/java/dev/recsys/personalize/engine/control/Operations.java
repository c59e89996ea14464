package dev.recsys.personalize.engine.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The control-plane operations by name (the X-Amz-Target suffix); each resource kind adds its own. */
final class Operations {

    private final Map<String, UnaryOperator<ObjectNode>> byName = new HashMap<>();

    void add(String name, UnaryOperator<ObjectNode> operation) {
        if (byName.putIfAbsent(name, operation) != null) throw new IllegalStateException(name + " is registered twice");
    }

    UnaryOperator<ObjectNode> get(String name) {
        UnaryOperator<ObjectNode> op = byName.get(name);
        if (op == null) {
            throw new ServiceException(ErrorCode.UnknownOperationException,
                    "Operation " + name + " is not supported by the local Personalize engine");
        }
        return op;
    }
}
