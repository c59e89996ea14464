package dev.recsys.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The engine's wire protocols over the JDK HTTP client, for the engine benchmarks. */
record EngineApi(URI endpoint) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    interface Body {
        void fill(ObjectNode o);
    }

    JsonNode control(String operation, Body body) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        body.fill(o);
        return send(HttpRequest.newBuilder(endpoint.resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonPersonalize." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(o.toString())).build());
    }

    JsonNode runtime(String path, Body body) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        body.fill(o);
        return send(HttpRequest.newBuilder(endpoint.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(o.toString())).build());
    }

    JsonNode waitActive(String describe, String arnField, String arn, String resultField) throws Exception {
        while (true) {
            JsonNode r = control(describe, o -> o.put(arnField, arn)).get(resultField);
            String status = r.path("status").asText();
            if (status.equals("ACTIVE")) return r;
            if (status.equals("CREATE FAILED")) throw new IllegalStateException(arn + " failed: " + r.path("failureReason").asText());
            Thread.sleep(20);
        }
    }

    private JsonNode send(HttpRequest request) throws Exception {
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }
}
