package dev.recsys.api.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Lambda internal extension (Extensions API, INVOKE events only) that sends queued exposures
 * after the response and before the environment freezes. Lambda freezes an environment only when
 * the runtime has posted its response and every extension has asked for its next event, so the
 * client has its answer while this thread still drains; without it, the last exposures of an
 * environment could sit in memory until the environment is recycled, and be lost.
 * Registered during init, as the Extensions API requires; only where {@code AWS_LAMBDA_RUNTIME_API} is set.
 */
public final class PostInvokeFlush implements Runnable {

    /** Sends what is queued, waiting at most the given time. */
    @FunctionalInterface
    public interface Drain {
        void drain(Duration budget) throws InterruptedException;
    }

    static final String NAME = "recsys-exposures";

    private final URI api;
    private final String extensionId;
    private final Drain drain;
    private final Duration budget;
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final Object finishedSignal = new Object();

    private PostInvokeFlush(URI api, String extensionId, Drain drain, Duration budget) {
        this.api = api;
        this.extensionId = extensionId;
        this.drain = drain;
        this.budget = budget;
    }

    /**
     * Registers with the Extensions API at {@code runtimeApi} (host:port) and starts the event loop.
     *
     * @throws IOException when registration fails (the caller then runs without the hook)
     */
    public static PostInvokeFlush register(String runtimeApi, Drain drain, Duration budget) throws IOException {
        URI api = URI.create("http://" + runtimeApi + "/2020-01-01/extension/");
        HttpURLConnection c = (HttpURLConnection) api.resolve("register").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Lambda-Extension-Name", NAME);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write("{\"events\":[\"INVOKE\"]}".getBytes(StandardCharsets.UTF_8));
        }
        if (c.getResponseCode() != 200) throw new IOException("extension registration answered " + c.getResponseCode());
        String id = c.getHeaderField("Lambda-Extension-Identifier");
        c.getInputStream().close();
        if (id == null) throw new IOException("extension registration returned no Lambda-Extension-Identifier");
        PostInvokeFlush flush = new PostInvokeFlush(api, id, drain, budget);
        Thread t = new Thread(flush, "post-invoke-flush");
        t.setDaemon(true);
        t.start();
        return flush;
    }

    /** Called by the handler once its response is written. */
    public void finished(String requestId) {
        if (requestId == null) return;
        if (finished.size() > 64) finished.clear(); // one invocation at a time: anything older is stale
        finished.add(requestId);
        synchronized (finishedSignal) {
            finishedSignal.notifyAll();
        }
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                JsonNode event = next();
                if (!"INVOKE".equals(event.path("eventType").asText())) continue;
                awaitFinished(event.path("requestId").asText(null), event.path("deadlineMs").asLong(0));
                drain.drain(budget);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                // The Extensions API is local to the environment; retry, but not in a hot loop.
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The INVOKE event arrives when the invocation starts; the exposures it makes exist only once it ends. */
    private void awaitFinished(String requestId, long deadlineMs) throws InterruptedException {
        if (requestId == null) return;
        long until = deadlineMs > 0 ? deadlineMs : System.currentTimeMillis() + 30_000;
        synchronized (finishedSignal) {
            while (!finished.remove(requestId)) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) return;
                finishedSignal.wait(left);
            }
        }
    }

    private JsonNode next() throws IOException {
        HttpURLConnection c = (HttpURLConnection) api.resolve("event/next").toURL().openConnection();
        c.setRequestProperty("Lambda-Extension-Identifier", extensionId);
        c.setReadTimeout(0); // blocks until the next invocation, by design
        try (InputStream in = c.getInputStream()) {
            return Json.MAPPER.readTree(in);
        }
    }
}
