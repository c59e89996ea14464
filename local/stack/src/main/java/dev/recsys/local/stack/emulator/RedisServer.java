package dev.recsys.local.stack.emulator;

import dev.recsys.common.contract.Contract;
import dev.recsys.local.stack.process.LocalStackException;
import dev.recsys.local.stack.process.ChildProcess;
import dev.recsys.local.stack.process.PortClashException;
import dev.recsys.local.stack.process.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * redis-server as a child process on 127.0.0.1, without persistence. It can be stopped and started
 * again on the same port, so fault tests can take the cache away and bring it back.
 *
 * <p>It knows the contract's cache users with their access strings, so a component that needs a command or key
 * its deployed user lacks fails here too. They take any password: redis-server cannot check a SigV4 token,
 * which ElastiCache does (RedisIamAuthIT plays that part with real passwords). The default user stays open
 * for the local tools and tests.
 */
public final class RedisServer implements Emulator {

    private final String binary;
    private final Layout layout;
    private final int port;
    private ChildProcess process;

    private RedisServer(String binary, Layout layout, int port) {
        this.binary = binary;
        this.layout = layout;
        this.port = port;
    }

    public static RedisServer start(Layout layout) {
        String binary = locateBinary();
        return PortClashException.retrying(() -> {
            RedisServer redis = new RedisServer(binary, layout, Ports.freePort());
            redis.startProcess();
            return redis;
        });
    }

    /** System property {@code recsys.redis.server}, else {@code redis-server} on the PATH. */
    static String locateBinary() {
        String explicit = System.getProperty("recsys.redis.server");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/bin";
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new LocalStackException("redis-server not found on the PATH; install it "
                + "(apt-get install redis-server) or set -Drecsys.redis.server=/path/to/redis-server");
    }

    /** Starts redis-server on this instance's port; a no-op while it runs. */
    public synchronized void startProcess() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> args = new java.util.ArrayList<>(List.of(binary,
                "--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--protected-mode", "yes"));
        for (Contract.RedisUser user : Contract.get().redis().users().values()) {
            args.add("--user");
            args.add(user.userName(dev.recsys.local.stack.Endpoints.DEPLOYMENT));
            args.add("nopass");
            args.addAll(List.of(user.accessString().split(" ")));
        }
        ChildProcess child = ChildProcess.start("redis-server", args, Map.of(), layout.data("redis"), layout.log("redis"));
        process = child;
        try {
            Ports.await("redis-server on port " + port, layout.startupTimeout(), child, this::ping);
        } catch (RuntimeException e) {
            stopProcess();
            throw e;
        }
    }

    /** Stops redis-server and waits until it has exited; the port stays reserved for {@link #startProcess()}. */
    public synchronized void stopProcess() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** True when redis-server answers PING with PONG. */
    public boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(1_000);
            s.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] reply = new byte[7];
            int n = in.readNBytes(reply, 0, reply.length);
            return n == reply.length && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    @Override
    public synchronized List<Long> pids() {
        return process == null ? List.of() : List.of(process.pid());
    }

    @Override
    public synchronized Optional<String> exitedOnItsOwn() {
        return process == null ? Optional.empty() : process.exitReport();
    }

    @Override
    public void close() {
        stopProcess();
    }
}
