package dev.recsys.personalize.engine.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recsys.personalize.engine.control.ControlPlane;
import dev.recsys.personalize.engine.control.ErrorCode;
import dev.recsys.personalize.engine.control.ServiceException;
import dev.recsys.personalize.engine.runtime.RuntimeService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP endpoint for the three Personalize APIs, told apart the way the SDK addresses them:
 * control plane = AWS JSON 1.1 ({@code POST /} + {@code X-Amz-Target: AmazonPersonalize.<Op>});
 * runtime = REST JSON ({@code POST /recommendations}, {@code POST /personalize-ranking});
 * events = REST JSON ({@code POST /events}). Errors carry {@code __type} and {@code message} in the
 * body and {@code x-amzn-ErrorType} as a header, which is what the SDK maps to typed exceptions.
 * Requests are not signature-checked: the engine is for loopback use only.
 */
public final class HttpFront implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    static final String TARGET_PREFIX = "AmazonPersonalize.";
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json;
    private final ControlPlane control;
    private final RuntimeService runtime;

    private HttpFront(HttpServer server, ExecutorService executor, ObjectMapper json, ControlPlane control, RuntimeService runtime) {
        this.server = server;
        this.executor = executor;
        this.json = json;
        this.control = control;
        this.runtime = runtime;
    }

    public static HttpFront start(String host, int port, int threads, ObjectMapper json, ControlPlane control,
                                  RuntimeService runtime) throws IOException {
        // The JDK server writes headers and body separately; without TCP_NODELAY every keep-alive
        // response waits ~40 ms for the client's delayed ACK. Read once, when the server class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 256);
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "personalize-http");
            t.setDaemon(true);
            return t;
        });
        HttpFront front = new HttpFront(server, executor, json, control, runtime);
        server.createContext("/", front::handle);
        server.setExecutor(executor);
        server.start();
        return front;
    }

    public URI endpoint() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    private void handle(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        boolean controlPlane = "/".equals(path);
        try (ex) {
            try {
                if ("GET".equals(ex.getRequestMethod()) && "/health".equals(path)) {
                    send(ex, 200, JSON, json.createObjectNode().put("status", "ok"));
                    return;
                }
                if (!"POST".equals(ex.getRequestMethod())) {
                    throw new ServiceException(ErrorCode.UnknownOperationException, "Only POST requests are supported");
                }
                ObjectNode request = body(ex.getRequestBody());
                ObjectNode response = route(ex, path, request);
                send(ex, 200, controlPlane ? JSON_11 : JSON, response);
            } catch (ServiceException e) {
                error(ex, controlPlane ? 400 : e.code().restStatus(), controlPlane, e.code().name(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("unexpected failure serving {}", path, e);
                error(ex, 500, controlPlane, "InternalFailure", "The engine failed to process the request");
            }
        } catch (IOException e) {
            LOG.debug("client went away while answering {}", path, e);
        }
    }

    private ObjectNode route(HttpExchange ex, String path, ObjectNode request) {
        Function<ObjectNode, ObjectNode> handler = switch (path) {
            case "/" -> {
                String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
                if (target == null || !target.startsWith(TARGET_PREFIX)) {
                    throw new ServiceException(ErrorCode.UnknownOperationException,
                            "X-Amz-Target must name an AmazonPersonalize operation");
                }
                String operation = target.substring(TARGET_PREFIX.length());
                yield r -> control.call(operation, r);
            }
            case "/recommendations" -> runtime::getRecommendations;
            case "/personalize-ranking" -> runtime::getPersonalizedRanking;
            case "/events" -> runtime::putEvents;
            case "/items" -> runtime::putItems;
            case "/users" -> runtime::putUsers;
            default -> throw new ServiceException(ErrorCode.UnknownOperationException,
                    "POST " + path + " is not an operation of the local Personalize engine");
        };
        return handler.apply(request);
    }

    private ObjectNode body(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) throw ServiceException.invalid("The request body is larger than 1 MiB");
        if (bytes.length == 0) return json.createObjectNode();
        try {
            JsonNode n = json.readTree(bytes);
            if (n instanceof ObjectNode o) return o;
        } catch (JsonProcessingException e) {
            throw new ServiceException(ErrorCode.SerializationException, "The request body is not valid JSON");
        }
        throw new ServiceException(ErrorCode.SerializationException, "The request body must be a JSON object");
    }

    private void error(HttpExchange ex, int status, boolean controlPlane, String type, String message) throws IOException {
        ex.getResponseHeaders().set("x-amzn-ErrorType", type);
        send(ex, status, controlPlane ? JSON_11 : JSON, json.createObjectNode().put("__type", type).put("message", message));
    }

    private void send(HttpExchange ex, int status, String contentType, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
