package dev.recsys.api.http;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Browser access: which origins may call the API. Empty = no CORS headers at all (server-to-server
 * clients only); {@code *} = any origin (API keys still apply; no cookies are used).
 */
public record Cors(List<String> allowedOrigins) {

    public static final Cors DISABLED = new Cors(List.of());

    public Cors {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Comma-separated origins, {@code *}, or null/blank for disabled. */
    public static Cors parse(String value) {
        if (value == null || value.isBlank()) {
            return DISABLED;
        }
        return new Cors(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    /** Headers for a response to a request from {@code origin} (may be null). */
    public Map<String, String> headersFor(String origin) {
        Map<String, String> h = new LinkedHashMap<>();
        if (allowedOrigins.contains("*")) {
            h.put("Access-Control-Allow-Origin", "*");
        } else if (origin != null && allowedOrigins.contains(origin)) {
            h.put("Access-Control-Allow-Origin", origin);
            h.put("Vary", "Origin");
        }
        return h;
    }

    public Map<String, String> preflightHeaders(String origin, String allowedMethods) {
        Map<String, String> h = headersFor(origin);
        if (!h.isEmpty()) {
            h.put("Access-Control-Allow-Methods", allowedMethods + ", OPTIONS");
            // Authorization must be named: browsers do not let "*" cover it, and user routes need the bearer token.
            h.put("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Api-Key, X-Request-Id");
            h.put("Access-Control-Max-Age", "600");
        }
        return h;
    }
}
