package dev.recsys.local.stack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Free ports and readiness polling. */
public final class Ports {

    private static final long POLL_MILLIS = 25;
    private static final SSLContext TRUST_ALL = trustAll();

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

    /**
     * True when an AWS JSON endpoint answers an (unsigned) call to {@code target} with any HTTP response: the
     * server is up and routing requests; a rejection of the missing signature still counts. The connection is
     * closed afterwards, since an idle keep-alive connection would delay the emulator's graceful shutdown.
     */
    public static boolean answersAwsJson(int port, String target, String contentType) {
        return answersAwsJson(new Socket(), port, target, contentType);
    }

    /**
     * The same over TLS, trusting any certificate (the emulators' are self-signed). A full handshake matters:
     * a bare TCP probe of a Node TLS port leaves a half-open handshake that stalls its shutdown for 30 s.
     */
    public static boolean answersAwsJsonOverTls(int port, String target, String contentType) {
        try {
            return answersAwsJson(TRUST_ALL.getSocketFactory().createSocket(), port, target, contentType);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answersAwsJson(Socket socket, int port, String target, String contentType) {
        String request = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + contentType
                + "\r\nX-Amz-Target: " + target + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
        try (Socket s = socket) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(2_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] status = s.getInputStream().readNBytes(9);
            return new String(status, StandardCharsets.US_ASCII).startsWith("HTTP/1.");
        } catch (IOException e) {
            return false;
        }
    }

    private static SSLContext trustAll() {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // probe only: the loopback emulators use self-signed certificates
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // probe only: the loopback emulators use self-signed certificates
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS support in this JVM", e);
        }
    }

    /**
     * Polls {@code ready} until it holds. Each round first checks that {@code child} is alive (it throws with the
     * log tail when the emulator died); after {@code timeout} fails naming {@code what}, with {@code detail}
     * (which probes answered), the child's CPU time (a starved child and a wedged one look different) and the
     * end of its log, so that a stall seen once on CI can be diagnosed from the message alone.
     */
    public static void await(String what, Duration timeout, ChildProcess child, BooleanSupplier ready,
                             Supplier<String> detail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            child.checkAlive();
            if (ready.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LocalStackException(what + " not ready after " + timeout.toMillis() + " ms (" + detail.get()
                        + "; " + child.stallReport() + ")");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException("interrupted while waiting for " + what);
            }
        }
    }

    /** {@link #await(String, Duration, ChildProcess, BooleanSupplier, Supplier)} for a single probe. */
    public static void await(String what, Duration timeout, ChildProcess child, BooleanSupplier ready) {
        await(what, timeout, child, ready, () -> "probe never answered");
    }
}
