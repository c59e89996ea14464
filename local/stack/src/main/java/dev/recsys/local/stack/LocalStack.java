package dev.recsys.local.stack;

import dev.recsys.local.stack.process.LocalStackException;
import dev.recsys.local.stack.emulator.Dynalite;
import dev.recsys.local.stack.emulator.EmbeddedS3;
import dev.recsys.local.stack.emulator.Emulator;
import dev.recsys.local.stack.emulator.KinesisMock;
import dev.recsys.local.stack.emulator.Layout;
import dev.recsys.local.stack.emulator.RedisServer;
import dev.recsys.local.stack.process.LocalToolsDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The offline AWS stand-ins on free 127.0.0.1 ports: kinesis-mock, dynalite, S3Proxy and redis-server.
 * {@link #close()}, JVM exit and Ctrl-C stop every child process.
 *
 * <p>Why one class of this size: starting the four emulators in parallel, their clients and their stop are one
 * lifecycle; the process handling they share (child processes, ports, sessions) is in {@code stack.process}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration STREAM_ACTIVE_TIMEOUT = Duration.ofSeconds(30);

    private final StackOptions options;
    private final Path stateDir;
    private final boolean temporaryStateDir;
    private final Map<Service, Emulator> emulators;
    private final Endpoints endpoints;
    private final Duration startupTime;
    private final Thread shutdownHook;
    private final List<SdkClient> clients = new ArrayList<>();
    private KinesisAsyncClient kinesisAsync;
    private KinesisClient kinesis;
    private DynamoDbClient dynamoDb;
    private DynamoDbAsyncClient dynamoDbAsync;
    private S3AsyncClient s3Async;
    private S3Client s3;
    private boolean closed;

    private LocalStack(StackOptions options, Path stateDir, boolean temporaryStateDir,
                       Map<Service, Emulator> emulators, Duration startupTime) {
        this.options = options;
        this.stateDir = stateDir;
        this.temporaryStateDir = temporaryStateDir;
        this.emulators = emulators;
        this.startupTime = startupTime;
        this.endpoints = endpointsOf(emulators);
        this.shutdownHook = new Thread(this::close, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * For an owner that stops the stack itself on exit, after what depends on it (a consumer flushing into it):
     * without this the stack's own hook would stop the emulators at the same moment.
     */
    public void closeOnExitByOwner() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting already: the hook runs, nothing to change
        }
    }

    /** Starts the selected services in parallel and returns once every one of them answers requests. */
    public static LocalStack start(StackOptions options) {
        long t0 = System.nanoTime();
        Path stateDir;
        boolean temporary = options.stateDir().isEmpty();
        try {
            stateDir = temporary ? Files.createTempDirectory("recsys-stack-")
                    : Files.createDirectories(options.stateDir().get().toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the stack's state directory", e);
        }
        Layout layout = new Layout(stateDir, !temporary, options.startupTimeout());
        boolean needsNode = options.has(Service.KINESIS) || options.has(Service.DYNAMODB);
        LocalToolsDir tools = needsNode ? LocalToolsDir.locate().ensureInstalled() : null;

        Map<Service, Supplier<Emulator>> starters = new EnumMap<>(Service.class);
        starters.put(Service.KINESIS, () -> KinesisMock.start(tools, layout, Endpoints.REGION, Endpoints.ACCOUNT_ID));
        starters.put(Service.DYNAMODB, () -> Dynalite.start(tools, layout));
        starters.put(Service.S3, () -> EmbeddedS3.start(layout, Endpoints.ACCESS_KEY, Endpoints.SECRET_KEY));
        starters.put(Service.REDIS, () -> RedisServer.start(layout));

        ExecutorService pool = Executors.newFixedThreadPool(options.services().size(), r -> {
            Thread t = new Thread(r, "local-stack-start");
            t.setDaemon(true);
            return t;
        });
        Map<Service, CompletableFuture<Emulator>> futures = new EnumMap<>(Service.class);
        try {
            for (Service s : options.services()) {
                futures.put(s, CompletableFuture.supplyAsync(starters.get(s), pool));
            }
            CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).exceptionally(x -> null).join();
        } finally {
            pool.shutdown();
        }

        Map<Service, Emulator> started = new EnumMap<>(Service.class);
        List<Throwable> failures = new ArrayList<>();
        futures.forEach((s, f) -> {
            try {
                started.put(s, f.join());
            } catch (CompletionException e) {
                failures.add(e.getCause());
            }
        });
        if (!failures.isEmpty()) {
            started.values().forEach(LocalStack::closeQuietly);
            if (temporary) {
                deleteRecursively(stateDir);
            }
            LocalStackException error = new LocalStackException("local stack failed to start: "
                    + failures.get(0).getMessage() + (temporary ? "" : " (logs in " + stateDir.resolve("logs") + ")"),
                    failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        LocalStack stack = new LocalStack(options, stateDir, temporary, started, took);
        LOG.info("local stack {} up in {} ms: {}", options.services(), took.toMillis(), stack.endpoints);
        return stack;
    }

    private static Endpoints endpointsOf(Map<Service, Emulator> emulators) {
        KinesisMock k = (KinesisMock) emulators.get(Service.KINESIS);
        Dynalite d = (Dynalite) emulators.get(Service.DYNAMODB);
        EmbeddedS3 s = (EmbeddedS3) emulators.get(Service.S3);
        RedisServer r = (RedisServer) emulators.get(Service.REDIS);
        return new Endpoints(
                k == null ? null : k.tlsEndpoint(),
                k == null ? null : k.plainEndpoint(),
                d == null ? null : d.endpoint(),
                s == null ? null : s.endpoint(),
                r == null ? null : r.uri(),
                Endpoints.REGION, Endpoints.ACCOUNT_ID, Endpoints.ACCESS_KEY, Endpoints.SECRET_KEY);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public StackOptions options() {
        return options;
    }

    /** Wall-clock time {@link #start(StackOptions)} took. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Operating-system ids of every child process currently running for this stack. */
    public synchronized List<Long> childPids() {
        return emulators.values().stream().flatMap(e -> e.pids().stream()).toList();
    }

    /** Netty, HTTP/2 with ALPN over TLS, trusting the emulator's certificate (offline only): for the KCL. */
    public synchronized KinesisAsyncClient kinesisAsync() {
        if (kinesisAsync == null) {
            kinesisAsync = track(Clients.kinesisAsync(endpoints));
        }
        return kinesisAsync;
    }

    /** Sync client on the plain HTTP/1.1 port, for admin work and tests. */
    public synchronized KinesisClient kinesis() {
        if (kinesis == null) {
            kinesis = track(Clients.kinesis(endpoints));
        }
        return kinesis;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = track(Clients.dynamoDb(endpoints));
        }
        return dynamoDb;
    }

    public synchronized DynamoDbAsyncClient dynamoDbAsync() {
        if (dynamoDbAsync == null) {
            dynamoDbAsync = track(Clients.dynamoDbAsync(endpoints));
        }
        return dynamoDbAsync;
    }

    /** Path-style S3 client. */
    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = track(Clients.s3(endpoints));
        }
        return s3;
    }

    /** Path-style S3 client, asynchronous (what the consumer's store bootstrap takes). */
    public synchronized S3AsyncClient s3Async() {
        if (s3Async == null) {
            s3Async = track(Clients.s3Async(endpoints));
        }
        return s3Async;
    }

    private <C extends SdkClient> C track(C client) {
        ensureOpen();
        clients.add(client);
        return client;
    }

    /** Creates a stream (or finds an existing one) and waits until it is ACTIVE. */
    public void createStream(String name, int shards) {
        KinesisClient k = kinesis();
        try {
            k.createStream(b -> b.streamName(name).shardCount(shards));
        } catch (ResourceInUseException alreadyThere) {
            LOG.debug("stream {} exists already", name);
        }
        long deadline = System.nanoTime() + STREAM_ACTIVE_TIMEOUT.toNanos();
        while (k.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new LocalStackException("stream " + name + " not ACTIVE after " + STREAM_ACTIVE_TIMEOUT);
            }
            sleep(50);
        }
    }

    /** Creates a bucket; an existing bucket of ours is fine. */
    public void createBucket(String name) {
        try {
            s3().createBucket(b -> b.bucket(name));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            LOG.debug("bucket {} exists already", name);
        }
    }

    /** Takes Redis down (waits until the process has exited). Clients see connection failures. */
    public void stopRedis() {
        redis().stopProcess();
    }

    /** Brings Redis back on the same port, empty, and waits until it answers PING. */
    public void startRedis() {
        ensureOpen();
        redis().startProcess();
    }

    public boolean redisRunning() {
        return redis().isRunning();
    }

    private RedisServer redis() {
        RedisServer r = (RedisServer) emulators.get(Service.REDIS);
        if (r == null) {
            throw new IllegalStateException("REDIS was not started in this stack");
        }
        return r;
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("local stack is closed");
        }
    }

    /** Emulators that exited without being stopped, each with its exit code and the end of its log. */
    public List<String> exitedEmulators() {
        List<String> exited = new ArrayList<>();
        emulators.values().forEach(e -> e.exitedOnItsOwn().ifPresent(exited::add));
        return exited;
    }

    /**
     * Closes the clients, stops every emulator and deletes a temporary state directory — unless an emulator had
     * exited on its own: that is logged with its exit code and log tail, and the directory (its full log) is kept.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<String> exited = exitedEmulators();
        exited.forEach(e -> LOG.error("an emulator exited before the stack was closed: {}", e));
        clients.forEach(LocalStack::closeQuietly);
        emulators.values().forEach(LocalStack::closeQuietly);
        if (temporaryStateDir && exited.isEmpty()) {
            deleteRecursively(stateDir);
        } else if (temporaryStateDir) {
            LOG.error("kept {} for its emulator logs", stateDir);
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting and the hook may be running right now: nothing to unregister
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("while stopping {}: {}", c, e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted");
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "LocalStack" + options.services() + " in " + stateDir;
    }
}
