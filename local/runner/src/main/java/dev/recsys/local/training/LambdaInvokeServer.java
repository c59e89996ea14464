package dev.recsys.local.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda Invoke API ({@code POST /2015-03-31/functions/<name>/invocations}) on 127.0.0.1, so
 * aws-local-stepfunctions can run the deployed ASL unchanged: it sends every Task state there with
 * the Task's {@code Resource} as function name. Errors follow Lambda's contract: HTTP 200,
 * {@code X-Amz-Function-Error: Unhandled}, body {@code {"errorType","errorMessage"}} where the type
 * is the exception's class name, exactly as the Java Lambda runtime reports it.
 */
public final class LambdaInvokeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaInvokeServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");

    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, TaskFunction> functions;

    private LambdaInvokeServer(HttpServer server, ExecutorService pool, Map<String, TaskFunction> functions) {
        this.server = server;
        this.pool = pool;
        this.functions = Map.copyOf(functions);
    }

    /** @param functions by resource ARN (what the ASL's Task {@code Resource} says) */
    public static LambdaInvokeServer start(Map<String, TaskFunction> functions) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger n = new AtomicInteger();
        // Map states invoke in parallel, and a Spark run blocks its request for a while.
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-lambda-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LambdaInvokeServer s = new LambdaInvokeServer(server, pool, functions);
        server.createContext("/", s::handle);
        server.setExecutor(pool);
        server.start();
        return s;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Matcher m = PATH.matcher(ex.getRequestURI().getRawPath());
            if (!"POST".equals(ex.getRequestMethod()) || !m.matches()) {
                reply(ex, 404, "UnknownOperationException", Map.of("message", "no such Lambda API: "
                        + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()));
                return;
            }
            String name = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            TaskFunction f = functions.get(name);
            if (f == null) {
                reply(ex, 404, "ResourceNotFoundException", Map.of("Type", "User", "message", "Function not found: " + name));
                return;
            }
            JsonNode input;
            try {
                input = JSON.readTree(ex.getRequestBody().readAllBytes());
            } catch (JsonProcessingException e) {
                reply(ex, 400, "InvalidRequestContentException", Map.of("Type", "User", "message", "payload is not JSON"));
                return;
            }
            JsonNode result;
            try {
                result = f.invoke(input);
            } catch (Exception e) {
                String type = e instanceof TaskFailure tf ? tf.errorType() : e.getClass().getName();
                LOG.info("{} failed: {}: {}", name, type, e.getMessage());
                ex.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
                send(ex, 200, JSON.writeValueAsBytes(Map.of("errorType", type,
                        "errorMessage", String.valueOf(e.getMessage()))));
                return;
            }
            send(ex, 200, JSON.writeValueAsBytes(result));
        }
    }

    private static void reply(HttpExchange ex, int status, String errorType, Map<String, String> body) throws IOException {
        ex.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        send(ex, status, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
