package dev.recsys.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.recsys.api.json.Json;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;

/**
 * A documented stand-in for the Personalize runtime, for load tests and benchmarks only: it speaks
 * the runtime's REST-JSON wire protocol (POST /recommendations, POST /personalize-ranking) on
 * 127.0.0.1 and answers instantly with deterministic items, so measured "miss" latency is the API's
 * own cost (SDK client, HTTP, JSON, Redis) without any model time. Nothing in it is trained; the
 * project's Personalize-compatible engine replaces it in the offline system.
 */
public final class StandInPersonalizeRuntime implements AutoCloseable {

    private final StandInServer server = new StandInServer("standin-personalize", 8, 512, this::serve);

    private StandInPersonalizeRuntime() {}

    public static StandInPersonalizeRuntime start() {
        return new StandInPersonalizeRuntime();
    }

    public URI uri() {
        return server.uri();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode req = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            ObjectNode out = Json.MAPPER.createObjectNode();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/recommendations")) {
                String seed = req.path("userId").asText(req.path("itemId").asText("none"));
                int n = req.path("numResults").asInt(25);
                ArrayNode items = out.putArray("itemList");
                for (int i = 0; i < n; i++) {
                    items.addObject().put("itemId", "item-" + Math.floorMod((seed + i).hashCode(), 5000)).put("score", 1.0 / (i + 1));
                }
            } else if (path.equals("/personalize-ranking")) {
                ArrayNode items = out.putArray("personalizedRanking");
                req.path("inputList").forEach(id -> items.addObject().put("itemId", id.asText()));
            } else {
                StandInServer.respond(exchange, 404, "application/json",
                        "{\"__type\":\"ResourceNotFoundException\",\"message\":\"unknown operation\"}".getBytes());
                return;
            }
            out.put("recommendationId", "standin-" + UUID.randomUUID());
            StandInServer.respond(exchange, 200, "application/json", Json.MAPPER.writeValueAsBytes(out));
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
