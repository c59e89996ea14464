package dev.recsys.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recsys.api.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A documented stand-in for the Personalize runtime, for load tests and benchmarks only: it speaks
 * the runtime's REST-JSON wire protocol (POST /recommendations, POST /personalize-ranking) on
 * 127.0.0.1 and answers instantly with deterministic items, so measured "miss" latency is the API's
 * own cost (SDK client, HTTP, JSON, Redis) without any model time. Nothing in it is trained; the
 * project's Personalize-compatible engine replaces it in the offline system.
 */
public final class StandInPersonalizeRuntime implements AutoCloseable {

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: ~40 ms per small response. Read once, when the JDK server classes initialize.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "standin-personalize");
        t.setDaemon(true);
        return t;
    });

    private StandInPersonalizeRuntime() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public static StandInPersonalizeRuntime start() {
        try {
            return new StandInPersonalizeRuntime();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
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
                byte[] body = "{\"__type\":\"ResourceNotFoundException\",\"message\":\"unknown operation\"}".getBytes();
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            out.put("recommendationId", "standin-" + UUID.randomUUID());
            byte[] body = Json.MAPPER.writeValueAsBytes(out);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
