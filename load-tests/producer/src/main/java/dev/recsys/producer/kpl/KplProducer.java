package dev.recsys.producer.kpl;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.recsys.producer.core.DeliveryTracker;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.core.ProducerException;
import dev.recsys.producer.core.RecordLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.kinesis.producer.Attempt;
import software.amazon.kinesis.producer.KinesisProducer;
import software.amazon.kinesis.producer.KinesisProducerConfiguration;
import software.amazon.kinesis.producer.UserRecordFailedException;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * The Kinesis Producer Library: a native daemon that aggregates many user records into each Kinesis record
 * and retries on its own until the record TTL (our delivery timeout) runs out.
 */
public final class KplProducer implements EventProducer {

    /** Above this many buffered records, {@code send} waits: the KPL's buffer is otherwise unbounded. */
    private static final int MAX_OUTSTANDING = 50_000;
    /**
     * The KPL sends records unaggregated until it has loaded the stream's shard map, which starts with the
     * first record; this pause after that record lets the map arrive before the bulk.
     */
    private static final Duration SHARD_MAP_SETTLE = Duration.ofMillis(1_500);

    private final KinesisProducer kpl;
    private final String stream;
    private final Duration deliveryTimeout;
    private final DeliveryTracker tracker = new DeliveryTracker();
    private final Object warmUpLock = new Object();
    private volatile boolean warm;
    private volatile boolean closed;

    public KplProducer(ProducerConfig config) {
        this.kpl = new KinesisProducer(configuration(config));
        this.stream = config.streamName();
        this.deliveryTimeout = config.deliveryTimeout();
    }

    /** The KPL settings for {@code config}: offline it talks to the emulator's TLS port and trusts its certificate. */
    public static KinesisProducerConfiguration configuration(ProducerConfig config) {
        KinesisProducerConfiguration k = new KinesisProducerConfiguration()
                .setRegion(config.region())
                .setRecordTtl(config.deliveryTimeout().toMillis())
                .setRecordMaxBufferedTime(100)
                .setAggregationEnabled(true)
                .setMetricsLevel("none")
                .setLogLevel("warning")
                .setTempDirectory(tempDirectory().toString());
        NativeDaemon.ownSessionLauncher(tempDirectory()).ifPresent(launcher -> k.setNativeExecutable(launcher.toString()));
        k.setCredentialsProvider(config.credentials()
                .<software.amazon.awssdk.auth.credentials.AwsCredentialsProvider>map(keys ->
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.accessKey(), keys.secretKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        config.endpoint().ifPresent(uri -> pointAt(k, uri));
        return k;
    }

    private static void pointAt(KinesisProducerConfiguration k, URI uri) {
        if (!"https".equals(uri.getScheme()) || uri.getPort() < 0) {
            throw new IllegalArgumentException("the KPL only speaks HTTPS: give it the emulator's TLS endpoint "
                    + "(https://127.0.0.1:PORT), not " + uri);
        }
        // Metrics are off, but the daemon still wants CloudWatch and STS endpoints it can resolve.
        k.setKinesisEndpoint(uri.getHost()).setKinesisPort(uri.getPort())
                .setCloudwatchEndpoint(uri.getHost()).setCloudwatchPort(uri.getPort())
                .setStsEndpoint(uri.getHost()).setStsPort(uri.getPort())
                .setVerifyCertificate(false);
    }

    /**
     * Where the KPL unpacks its ~90 MB daemon: our own folder (reused across runs, since the file is named by
     * its hash) rather than the shared temp directory. System property {@code recsys.kpl.dir} overrides it.
     */
    static Path tempDirectory() {
        String explicit = System.getProperty("recsys.kpl.dir");
        Path dir = explicit != null && !explicit.isBlank() ? Path.of(explicit)
                : Path.of(System.getProperty("java.io.tmpdir"), "recsys-kpl-" + System.getProperty("user.name"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the KPL directory " + dir, e);
        }
    }

    @Override
    public CompletableFuture<Void> sendRaw(String partitionKey, byte[] data) {
        String violation = RecordLimits.violation(partitionKey, data);
        if (violation != null) {
            return rejected("rejected before sending: " + violation);
        }
        if (closed) {
            return rejected("producer is closed");
        }
        if (!warm) {
            CompletableFuture<Void> first = warmUp(partitionKey, data);
            if (first != null) {
                return first;
            }
        }
        while (kpl.getOutstandingRecordsCount() > MAX_OUTSTANDING) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return add(partitionKey, data);
    }

    /** Sends the first record alone and waits for the shard map; returns its future, or null if already warm. */
    private CompletableFuture<Void> warmUp(String partitionKey, byte[] data) {
        synchronized (warmUpLock) {
            if (warm) {
                return null;
            }
            CompletableFuture<Void> first = add(partitionKey, data);
            kpl.flush();
            try {
                first.get(deliveryTimeout.toMillis(), TimeUnit.MILLISECONDS);
                Thread.sleep(SHARD_MAP_SETTLE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception failedOrSlow) {
                // already reported through the record's own future and the next flush
            }
            warm = true;
            return first;
        }
    }

    private CompletableFuture<Void> add(String partitionKey, byte[] data) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        tracker.started();
        ListenableFuture<UserRecordResult> kplFuture;
        try {
            kplFuture = kpl.addUserRecord(stream, partitionKey, ByteBuffer.wrap(data));
        } catch (RuntimeException e) {
            fail(result, new ProducerException("the KPL refused the record: " + e.getMessage(), 1, e));
            return result;
        }
        Futures.addCallback(kplFuture, new FutureCallback<>() {
            @Override
            public void onSuccess(UserRecordResult r) {
                if (r.isSuccessful()) {
                    result.complete(null);
                    tracker.succeeded();
                } else {
                    fail(result, new ProducerException(describe(r), 1, null));
                }
            }

            @Override
            public void onFailure(Throwable t) {
                String message = t instanceof UserRecordFailedException u ? describe(u.getResult())
                        : "the KPL failed the record: " + t;
                fail(result, new ProducerException(message, 1, t));
            }
        }, MoreExecutors.directExecutor());
        return result;
    }

    /** Completes the caller's future before the tracker, so a flush returns only after callers have seen it. */
    private void fail(CompletableFuture<Void> result, ProducerException e) {
        result.completeExceptionally(e);
        tracker.failed(e);
    }

    private CompletableFuture<Void> rejected(String reason) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        tracker.started();
        fail(result, new ProducerException(reason));
        return result;
    }

    static String describe(UserRecordResult r) {
        List<Attempt> attempts = r.getAttempts();
        if (attempts.isEmpty()) {
            return "record not delivered (no attempt made)";
        }
        Attempt last = attempts.get(attempts.size() - 1);
        return "record not delivered after " + attempts.size() + " attempt(s): " + last.getErrorCode() + ": "
                + last.getErrorMessage();
    }

    /** User records handed to the KPL and not yet acknowledged or failed. */
    public long outstanding() {
        return tracker.outstanding();
    }

    @Override
    public void flush() {
        kpl.flushSync();
        tracker.awaitIdle(deliveryTimeout.plusSeconds(10));
    }

    @Override
    public void close() {
        closed = true;
        try {
            flush();
        } finally {
            kpl.destroy();
        }
    }
}
