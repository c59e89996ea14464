package dev.recsys.producer.sdk;

import dev.recsys.producer.core.DeliveryTracker;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.core.ProducerException;
import dev.recsys.producer.core.RecordLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Plain SDK PutRecords: one sender thread packs queued records into batches of at most 500 records and
 * 5 MiB, and after a partial failure resends only the failed entries, with exponential backoff, until
 * each record's delivery deadline. Errors that retrying cannot fix fail their records at once.
 */
public final class PutRecordsProducer implements EventProducer {

    static final int MAX_BATCH_RECORDS = 500;
    static final long MAX_BATCH_BYTES = 5L * 1024 * 1024;
    /** Small on purpose: a queued record's deadline is already running. */
    private static final int QUEUE_CAPACITY = 2_000;

    /** Exponential backoff between attempts: {@code base * 2^(attempt-1)}, capped, with jitter. */
    public record Backoff(Duration base, Duration max) {
        public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

        long delayNanos(int attempt) {
            long full = Math.min(max.toNanos(), base.toNanos() << Math.min(attempt - 1, 20));
            return full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
        }
    }

    private final KinesisClient client;
    private final boolean ownsClient;
    private final String stream;
    private final Duration deliveryTimeout;
    private final Backoff backoff;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final DeliveryTracker tracker = new DeliveryTracker();
    private final Thread sender;
    private volatile boolean closed;

    public PutRecordsProducer(KinesisClient client, boolean ownsClient, String stream, Duration deliveryTimeout,
                              Backoff backoff) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.stream = stream;
        this.deliveryTimeout = deliveryTimeout;
        this.backoff = backoff;
        this.sender = new Thread(this::run, "put-records-" + stream);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** A producer with its own sync client for {@code config} (offline: endpoint override, fake keys). */
    public static PutRecordsProducer create(ProducerConfig config) {
        return new PutRecordsProducer(adminClient(config), true, config.streamName(), config.deliveryTimeout(),
                Backoff.DEFAULT);
    }

    /** A sync Kinesis client for {@code config}'s endpoint, region and credentials (the caller closes it). */
    public static KinesisClient adminClient(ProducerConfig config) {
        KinesisClientBuilder b = KinesisClient.builder().region(Region.of(config.region()));
        b.credentialsProvider(config.credentials()
                .<software.amazon.awssdk.auth.credentials.AwsCredentialsProvider>map(keys ->
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.accessKey(), keys.secretKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        config.endpoint().ifPresent(b::endpointOverride);
        // Offline only: the emulator's TLS port has a self-signed certificate.
        AttributeMap http = config.offline()
                ? AttributeMap.builder().put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build()
                : AttributeMap.empty();
        b.httpClient(Apache5HttpClient.builder().buildWithDefaults(http));
        return b.build();
    }

    private static final class Pending {
        final PutRecordsRequestEntry entry;
        final long bytes;
        final long deadlineNanos;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        int attempts;
        String lastError;

        Pending(PutRecordsRequestEntry entry, long bytes, long deadlineNanos) {
            this.entry = entry;
            this.bytes = bytes;
            this.deadlineNanos = deadlineNanos;
        }
    }

    @Override
    public CompletableFuture<Void> sendRaw(String partitionKey, byte[] data) {
        tracker.started();
        String violation = RecordLimits.violation(partitionKey, data);
        if (violation != null) {
            return failed(new ProducerException("rejected before sending: " + violation));
        }
        if (closed) {
            return failed(new ProducerException("producer is closed"));
        }
        Pending p = new Pending(PutRecordsRequestEntry.builder().partitionKey(partitionKey)
                .data(SdkBytes.fromByteArrayUnsafe(data)).build(),
                data.length + (long) partitionKey.getBytes(StandardCharsets.UTF_8).length,
                System.nanoTime() + deliveryTimeout.toNanos());
        try {
            queue.put(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(new ProducerException("interrupted while queueing", 1, e));
        }
        return p.future;
    }

    private CompletableFuture<Void> failed(ProducerException e) {
        tracker.failed(e);
        return CompletableFuture.failedFuture(e);
    }

    private void run() {
        while (!(closed && queue.isEmpty() && tracker.outstanding() == 0)) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                continue;
            }
            List<Pending> batch = new ArrayList<>();
            batch.add(first);
            long bytes = first.bytes;
            for (Pending next; batch.size() < MAX_BATCH_RECORDS && (next = queue.peek()) != null
                    && bytes + next.bytes <= MAX_BATCH_BYTES; ) {
                batch.add(queue.poll());
                bytes += next.bytes;
            }
            deliver(batch);
        }
    }

    /** Sends one batch until every record is acknowledged or has failed. */
    void deliver(List<Pending> batch) {
        List<Pending> remaining = batch;
        while (!remaining.isEmpty()) {
            List<Pending> again = attempt(remaining);
            if (again.isEmpty()) {
                return;
            }
            int attempt = again.get(0).attempts;
            long delay = backoff.delayNanos(attempt);
            long resendAt = System.nanoTime() + delay;
            remaining = new ArrayList<>();
            for (Pending p : again) {
                if (p.deadlineNanos - resendAt < 0) {
                    fail(p, new ProducerException("not delivered within " + deliveryTimeout.toMillis() + " ms after "
                            + p.attempts + " attempt(s); last error: " + p.lastError));
                } else {
                    remaining.add(p);
                }
            }
            if (!remaining.isEmpty()) {
                try {
                    TimeUnit.NANOSECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    remaining.forEach(p -> fail(p, new ProducerException("interrupted before a retry", 1, e)));
                    return;
                }
            }
        }
    }

    /** One PutRecords call; returns the records worth another attempt. */
    private List<Pending> attempt(List<Pending> records) {
        records.forEach(p -> p.attempts++);
        PutRecordsResponse response;
        try {
            response = client.putRecords(b -> b.streamName(stream).records(records.stream().map(p -> p.entry).toList()));
        } catch (SdkException e) {
            if (!retryable(e)) {
                records.forEach(p -> fail(p, new ProducerException("PutRecords failed: " + e.getMessage(), 1, e)));
                return List.of();
            }
            records.forEach(p -> p.lastError = e.toString());
            return records;
        } catch (RuntimeException e) {
            records.forEach(p -> fail(p, new ProducerException("PutRecords failed: " + e, 1, e)));
            return List.of();
        }
        List<PutRecordsResultEntry> results = response.records();
        if (results.size() != records.size()) {
            records.forEach(p -> fail(p, new ProducerException("PutRecords answered " + results.size()
                    + " results for " + records.size() + " records")));
            return List.of();
        }
        List<Pending> again = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Pending p = records.get(i);
            PutRecordsResultEntry r = results.get(i);
            if (r.errorCode() == null) {
                p.future.complete(null);
                tracker.succeeded();
            } else if (permanent(r.errorCode())) {
                fail(p, new ProducerException("record rejected: " + r.errorCode() + ": " + r.errorMessage()));
            } else {
                p.lastError = r.errorCode() + ": " + r.errorMessage();
                again.add(p);
            }
        }
        return again;
    }

    /** Completes the caller's future before the tracker, so a flush returns only after callers have seen it. */
    private void fail(Pending p, ProducerException e) {
        p.future.completeExceptionally(e);
        tracker.failed(e);
    }

    /** Throttling, server errors and I/O problems pass; a missing stream or bad request will not. */
    static boolean retryable(SdkException e) {
        if (e instanceof ProvisionedThroughputExceededException || e instanceof KmsThrottlingException) {
            return true;
        }
        if (e instanceof AwsServiceException ase) {
            return ase.isThrottlingException() || ase.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    /** Per-record KMS errors other than throttling (disabled key, access denied...) do not heal by retrying. */
    static boolean permanent(String errorCode) {
        return errorCode.startsWith("KMS") && !errorCode.equals("KMSThrottlingException");
    }

    /** Records handed over and not yet acknowledged or failed. */
    public long outstanding() {
        return tracker.outstanding();
    }

    @Override
    public void flush() {
        tracker.awaitIdle(deliveryTimeout.plusSeconds(10));
    }

    @Override
    public void close() {
        closed = true;
        try {
            flush();
        } finally {
            try {
                sender.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (ownsClient) {
                client.close();
            }
        }
    }
}
