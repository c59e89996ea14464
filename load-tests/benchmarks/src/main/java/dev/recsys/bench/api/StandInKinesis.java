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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A documented stand-in for Kinesis PutRecords, for the API benchmark only: it accepts every record at
 * once (AWS JSON 1.1; the benchmark turns the SDK's CBOR off) and counts them, so "exposures on"
 * measures what exposure logging costs the API — the queue, the serialising and the sending thread —
 * not the emulator's speed (kinesis-mock takes ~500 records/s, far below the API's request rate).
 */
public final class StandInKinesis implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong records = new AtomicLong();
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "standin-kinesis");
        t.setDaemon(true);
        return t;
    });

    private StandInKinesis() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public static StandInKinesis start() {
        try {
            return new StandInKinesis();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Records accepted so far. */
    public long records() {
        return records.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode req = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            if (!"Kinesis_20131202.PutRecords".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
                byte[] body = "{\"__type\":\"InvalidArgumentException\",\"message\":\"only PutRecords\"}".getBytes();
                exchange.sendResponseHeaders(400, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            ObjectNode out = Json.MAPPER.createObjectNode().put("FailedRecordCount", 0);
            ArrayNode results = out.putArray("Records");
            int n = req.path("Records").size();
            for (int i = 0; i < n; i++) {
                results.addObject().put("SequenceNumber", Long.toString(records.incrementAndGet())).put("ShardId", "shardId-000000000000");
            }
            byte[] body = Json.MAPPER.writeValueAsBytes(out);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
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
