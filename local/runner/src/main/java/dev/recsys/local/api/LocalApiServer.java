package dev.recsys.local.api;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recsys.api.http.Requests;
import dev.recsys.api.http.Route;
import dev.recsys.api.json.Json;
import dev.recsys.common.contract.Contract;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * API Gateway + Lambda on localhost: a JDK HTTP server on 127.0.0.1 that does what the REST API
 * stage does before and after the integration — the Cognito authorizer (401, {@link TokenAuthorizer}), API key
 * check (403), usage-plan throttling (429), payload limit (413); CORS preflights (OPTIONS on a user or machine route)
 * go to the handler with neither authorizer nor key, like the deployed OPTIONS methods — and in between builds the
 * real proxy event, invokes the Lambda handler with its bytes exactly as the Lambda runtime would, and maps the proxy
 * response back to HTTP.
 */
public final class LocalApiServer implements AutoCloseable {

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK: ~40 ms per small response. Read once, when the JDK server classes initialize.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final RequestStreamHandler handler;
    private final LocalApiOptions options;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    private LocalApiServer(LocalApiOptions options, RequestStreamHandler handler) throws IOException {
        this.options = options;
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 1024);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "local-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    /** Starts an open gateway (no API key, no throttle) on {@code port} (0 = free port). */
    public static LocalApiServer start(int port, RequestStreamHandler handler) {
        return start(LocalApiOptions.open(port), handler);
    }

    public static LocalApiServer start(LocalApiOptions options, RequestStreamHandler handler) {
        try {
            return new LocalApiServer(options, handler);
        } catch (IOException e) {
            throw new IllegalStateException("local API could not bind 127.0.0.1:" + options.port(), e);
        }
    }

    /** The base URI, e.g. {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                gatewayError(exchange, 413, "Request Too Long", requestId);
                return;
            }
            Route route = Route.match(Requests.segments(exchange.getRequestURI().getRawPath()));
            if (isPreflight(route, exchange.getRequestMethod())) {
                // The deployed preflight method: no authorizer, no API key, straight to the handler (it answers with
                // CORS headers for the configured origins only). Browsers send neither token nor key with it.
                if (!throttle(null, exchange, requestId)) return;
                invoke(exchange, ProxyEvents.build(exchange, body, options.stage(), requestId, null, null), requestId);
                return;
            }
            Map<String, String> claims = null;
            // Only the route's own method has the authorizer; other methods (and OPTIONS on a route without one) have none.
            if (options.authorizer() != null && route != null && route.auth() != Contract.Caller.NONE
                    && route.method().equals(exchange.getRequestMethod())) {
                claims = options.authorizer().authorize(route, exchange.getRequestHeaders().getFirst("Authorization"));
                if (claims == null) {
                    gatewayError(exchange, 401, "Unauthorized", requestId);
                    return;
                }
            }
            String apiKey = exchange.getRequestHeaders().getFirst("x-api-key");
            if (!options.apiKeys().isEmpty() && (apiKey == null || !options.apiKeys().contains(apiKey))) {
                gatewayError(exchange, 403, "Forbidden", requestId);
                return;
            }
            if (!throttle(apiKey, exchange, requestId)) return;
            invoke(exchange, ProxyEvents.build(exchange, body, options.stage(), requestId, apiKey, claims), requestId);
        } catch (Exception e) {
            gatewayError(exchange, 502, "Internal server error", requestId);
        }
    }

    /**
     * Whether the request is a CORS preflight the deployed gateway lets through: OPTIONS on the resource of a user or
     * machine route, where Terraform puts an OPTIONS method with authorization NONE and api_key_required false
     * (terraform/modules/serving/api.tf, {@code preflight}). Routes without an authorizer (health) have no such method.
     */
    static boolean isPreflight(Route route, String method) {
        return "OPTIONS".equals(method) && route != null && route.auth() != Contract.Caller.NONE;
    }

    /** Usage-plan throttling; false (after answering 429) when the client is over its rate. */
    private boolean throttle(String apiKey, HttpExchange exchange, String requestId) throws IOException {
        if (options.rateLimitPerSecond() > 0 && !bucketFor(apiKey, exchange).tryTake()) {
            gatewayError(exchange, 429, "Too Many Requests", requestId);
            return false;
        }
        return true;
    }

    private void invoke(HttpExchange exchange, byte[] event, String requestId) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, new LocalLambdaContext(requestId));
        } catch (Exception | Error e) {
            // what API Gateway answers when the integration fails
            gatewayError(exchange, 502, "Internal server error", requestId);
            return;
        }
        writeProxyResponse(exchange, Json.MAPPER.readTree(out.toByteArray()), requestId);
    }

    private static void writeProxyResponse(HttpExchange exchange, JsonNode response, String requestId) throws IOException {
        int status = response.path("statusCode").asInt(502);
        response.path("headers").properties().forEach(h -> exchange.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        String body = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        if (status == 204 || status == 304 || bytes.length == 0 || "HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
            }
        }
    }

    /**
     * API Gateway's own errors have a {"message": ...} body and never reach the Lambda; with the stage's gateway
     * responses they carry the allowed origin, so a browser app can read a 401 (sign in again) or a 429.
     */
    private void gatewayError(HttpExchange exchange, int status, String message, String requestId) throws IOException {
        byte[] bytes = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (options.gatewayErrorOrigin() != null) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", options.gatewayErrorOrigin());
        }
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.getResponseHeaders().set("x-amzn-ErrorType", status == 401 ? "UnauthorizedException" : status == 403 ? "ForbiddenException"
                : status == 429 ? "TooManyRequestsException" : status == 413 ? "RequestTooLarge" : "InternalServerErrorException");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** The body, or null when it exceeds the gateway's payload limit. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(LocalApiOptions.MAX_PAYLOAD_BYTES + 1);
        return bytes.length > LocalApiOptions.MAX_PAYLOAD_BYTES ? null : bytes;
    }

    private TokenBucket bucketFor(String apiKey, HttpExchange exchange) {
        String client = apiKey != null ? apiKey : exchange.getRemoteAddress().getAddress().getHostAddress();
        return buckets.computeIfAbsent(client, c -> new TokenBucket(options.rateLimitPerSecond(), Math.max(1, options.burst())));
    }

    /** Usage-plan throttling: {@code rate} tokens per second, up to {@code burst} saved. */
    static final class TokenBucket {
        private final double ratePerNano;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(double perSecond, int burst) {
            this.ratePerNano = perSecond / 1e9;
            this.capacity = burst;
            this.tokens = burst;
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
