package dev.recsys.local.stack.process;

import dev.recsys.local.stack.LocalStackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Free ports and readiness polling. */
public final class Ports {

    private static final long POLL_MILLIS = 25;
    private static final HttpClient PROBE = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();

    private Ports() {}

    /**
     * A port that is free on every interface right now (some emulators cannot be told to bind loopback only).
     * Another process may take it before the caller binds it; callers retry on a start failure.
     */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    public static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True when an AWS JSON endpoint answers an (unsigned) call to {@code target} with any HTTP response: the
     * server is up and routing requests. Rejections of the missing signature still count as an answer.
     */
    public static boolean answersAwsJson(URI endpoint, String target, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(2))
                .header("Content-Type", contentType)
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        try {
            return PROBE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Polls {@code ready} until it holds. Each round first runs {@code liveness}, which throws when the
     * emulator died; after {@code timeout} fails naming {@code what}.
     */
    public static void await(String what, Duration timeout, Runnable liveness, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            liveness.run();
            if (ready.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LocalStackException(what + " not ready after " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for " + what);
            }
        }
    }
}
