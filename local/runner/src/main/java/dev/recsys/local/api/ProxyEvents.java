package dev.recsys.local.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.recsys.api.json.Json;
import dev.recsys.api.http.Route;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one HTTP request into the API Gateway REST proxy event the deployed gateway would send:
 * resource and decoded path parameters for the API's resources ({@code /{proxy+}} otherwise),
 * single- and multi-value headers and query parameters (decoded), requestContext with identity,
 * and a base64 body when it is not UTF-8 text.
 */
final class ProxyEvents {

    private ProxyEvents() {}

    /** @param claims the authorizer's verified claims (requestContext.authorizer.claims), null without an authorizer */
    static byte[] build(HttpExchange exchange, byte[] body, String stage, String requestId, String apiKey,
                        Map<String, String> claims) throws Exception {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        ObjectNode event = Json.MAPPER.createObjectNode();
        Map<String, String> pathParams = new LinkedHashMap<>();
        String resource = resourceFor(rawPath, pathParams);
        event.put("resource", resource);
        event.put("path", rawPath);
        event.put("httpMethod", method);

        ObjectNode headers = event.putObject("headers");
        ObjectNode multiHeaders = event.putObject("multiValueHeaders");
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            ArrayNode arr = multiHeaders.putArray(name);
            values.forEach(arr::add);
        });

        Map<String, List<String>> query = parseQuery(exchange.getRequestURI().getRawQuery());
        if (query.isEmpty()) {
            event.putNull("queryStringParameters");
            event.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            query.forEach((k, vs) -> {
                single.put(k, vs.get(vs.size() - 1));
                ArrayNode arr = multi.putArray(k);
                vs.forEach(arr::add);
            });
        }
        if (pathParams.isEmpty()) {
            event.putNull("pathParameters");
        } else {
            ObjectNode p = event.putObject("pathParameters");
            pathParams.forEach(p::put);
        }
        event.putNull("stageVariables");

        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("resourceId", "local");
        ctx.put("resourcePath", resource);
        ctx.put("httpMethod", method);
        ctx.put("requestId", requestId);
        ctx.put("extendedRequestId", requestId);
        ctx.put("path", "/" + stage + rawPath);
        ctx.put("accountId", "000000000000");
        ctx.put("apiId", "local");
        ctx.put("stage", stage);
        ctx.put("protocol", exchange.getProtocol());
        ctx.put("requestTimeEpoch", System.currentTimeMillis());
        if (claims != null) {
            ObjectNode c = ctx.putObject("authorizer").putObject("claims");
            claims.forEach(c::put);
        }
        ObjectNode identity = ctx.putObject("identity");
        identity.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        identity.put("userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        if (apiKey != null) {
            identity.put("apiKey", apiKey);
            identity.put("apiKeyId", "local-" + Integer.toHexString(apiKey.hashCode()));
        }

        if (body.length == 0) {
            event.putNull("body");
            event.put("isBase64Encoded", false);
        } else {
            String text = utf8OrNull(body);
            event.put("body", text != null ? text : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", text == null);
        }
        return Json.MAPPER.writeValueAsBytes(event);
    }

    /** Matches the API's resources like the gateway does; path parameters arrive decoded. */
    private static String resourceFor(String rawPath, Map<String, String> pathParams) {
        String[] segments = rawPath.length() > 1 ? rawPath.substring(1).split("/", -1) : new String[0];
        for (Route r : Route.values()) {
            String[] template = r.template().substring(1).split("/");
            if (template.length != segments.length) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            boolean match = true;
            for (int i = 0; i < template.length && match; i++) {
                if (template[i].startsWith("{")) {
                    String decoded = decode(segments[i]);
                    match = !decoded.isEmpty();
                    if (match) {
                        params.put(template[i].substring(1, template[i].length() - 1), decoded);
                    }
                } else {
                    match = template[i].equals(segments[i]);
                }
            }
            if (match) {
                pathParams.putAll(params);
                return r.template();
            }
        }
        pathParams.put("proxy", rawPath.length() > 1 ? rawPath.substring(1) : "");
        return "/{proxy+}";
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = decode(eq < 0 ? "" : pair.substring(eq + 1));
            {
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return out;
    }

    /** Percent-decoding for path and query; a malformed escape passes through undecoded, as the gateway does. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String utf8OrNull(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
