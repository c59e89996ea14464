package dev.recsys.api.http;

import dev.recsys.api.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one error shape: {"error": {"code", "message", "request_id"}}; shared with the local adapter. */
public final class ErrorBody {

    private ErrorBody() {}

    public static String json(String code, String message, String requestId) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", code);
        inner.put("message", message);
        inner.put("request_id", requestId);
        try {
            return Json.MAPPER.writeValueAsString(Map.of("error", inner));
        } catch (Exception e) {
            return "{\"error\":{\"code\":\"" + code + "\"}}";
        }
    }
}
