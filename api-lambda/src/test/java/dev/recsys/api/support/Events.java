package dev.recsys.api.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.api.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds API Gateway REST proxy events as JSON, in the gateway's shape (single- and multi-value maps). */
public final class Events {

    private final ObjectNode event = Json.MAPPER.createObjectNode();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();

    private Events(String method, String path) {
        event.put("httpMethod", method);
        event.put("path", path);
        event.put("resource", "/{proxy+}");
        event.put("isBase64Encoded", false);
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("stage", "test");
        ctx.put("httpMethod", method);
        ctx.put("path", "/test" + path);
        ctx.put("requestTimeEpoch", System.currentTimeMillis());
        ctx.putObject("identity").put("sourceIp", "127.0.0.1");
    }

    public static Events get(String path) {
        return new Events("GET", path);
    }

    public static Events post(String path, String jsonBody) {
        return new Events("POST", path).header("Content-Type", "application/json").body(jsonBody);
    }

    public static Events of(String method, String path) {
        return new Events(method, path);
    }

    public Events header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Events query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public Events body(String body) {
        event.put("body", body);
        return this;
    }

    public Events base64() {
        event.put("isBase64Encoded", true);
        return this;
    }

    public Events pathParameter(String name, String value) {
        ObjectNode p = event.has("pathParameters") ? (ObjectNode) event.get("pathParameters") : event.putObject("pathParameters");
        p.put(name, value);
        return this;
    }

    /** Repeats a query parameter, as a client sending {@code ?limit=1&limit=2} does. */
    public Events repeatedQuery(String name, String... values) {
        query.put(name, values[values.length - 1]);
        ObjectNode mv = multiValueQuery();
        var arr = mv.putArray(name);
        for (String v : values) {
            arr.add(v);
        }
        return this;
    }

    private ObjectNode multiValueQuery() {
        return event.has("multiValueQueryStringParameters") && event.get("multiValueQueryStringParameters").isObject()
                ? (ObjectNode) event.get("multiValueQueryStringParameters")
                : event.putObject("multiValueQueryStringParameters");
    }

    /** The claims API Gateway's Cognito authorizer passes (requestContext.authorizer.claims), values as strings. */
    public Events claims(Map<String, String> claims) {
        ObjectNode c = ((ObjectNode) event.get("requestContext")).putObject("authorizer").putObject("claims");
        claims.forEach(c::put);
        return this;
    }

    public String json() {
        ObjectNode h = event.putObject("headers");
        ObjectNode mh = event.putObject("multiValueHeaders");
        headers.forEach((k, v) -> {
            h.put(k, v);
            mh.putArray(k).add(v);
        });
        if (query.isEmpty()) {
            event.putNull("queryStringParameters");
        } else {
            ObjectNode q = event.putObject("queryStringParameters");
            ObjectNode mv = multiValueQuery();
            query.forEach((k, v) -> {
                q.put(k, v);
                if (!mv.has(k)) {
                    mv.putArray(k).add(v);
                }
            });
        }
        return event.toString();
    }

    public static List<String> methods() {
        return List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    }
}
