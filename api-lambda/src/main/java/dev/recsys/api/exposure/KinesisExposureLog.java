package dev.recsys.api.exposure;

import dev.recsys.api.core.Exposures;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.Exposure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exposures onto the interactions stream, batched, off the request path. {@link #record} only offers
 * to a bounded queue (a full queue drops and counts: the answer never waits); one background thread
 * sends PutRecords of up to 500 records, resending the entries Kinesis failed with backoff.
 *
 * <p>Why the interactions stream rather than a Firehose-style batch to S3: the consumer must see an
 * exposure before the click it leads to, and with the user as partition key both travel the same
 * shard in order, through the same exactly-once machinery, into the same lake.
 *
 * <p>On Lambda the environment freezes right after the response; {@link #drain} lets the post-invoke
 * hook send what is queued first (see {@code PostInvokeFlush}).
 */
public final class KinesisExposureLog implements Exposures, AutoCloseable {

    /** Counters for health and metrics. */
    public record Stats(long recorded, long sent, long dropped, long queued) {}

    private static final Logger LOG = LoggerFactory.getLogger(KinesisExposureLog.class);

    static final int MAX_BATCH = 500;
    private static final String ANONYMOUS_KEY_PREFIX = "anon:";

    private final KinesisClient kinesis;
    private final String stream;
    private final Duration linger;
    private final int attempts;
    private final BlockingQueue<Exposure> queue;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Recorded and not yet sent or given up: what {@link #drain} waits for. */
    private final AtomicLong outstanding = new AtomicLong();
    private final Object idle = new Object();
    private final Thread sender;
    private volatile boolean running = true;

    /**
     * @param linger   how long the first queued exposure waits for company before a batch goes out
     * @param attempts PutRecords attempts per entry before it is dropped
     */
    public KinesisExposureLog(KinesisClient kinesis, String stream, int capacity, Duration linger, int attempts) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.linger = linger;
        this.attempts = attempts;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = new Thread(this::sendLoop, "exposure-log");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    @Override
    public boolean record(Exposure exposure) {
        outstanding.incrementAndGet();
        if (queue.offer(exposure)) {
            recorded.incrementAndGet();
            return true;
        }
        settle(1);
        dropped.incrementAndGet();
        return false;
    }

    public Stats stats() {
        return new Stats(recorded.get(), sent.get(), dropped.get(), outstanding.get());
    }

    /**
     * Waits until everything recorded so far was sent (or given up), at most {@code timeout}.
     *
     * @return true when nothing is left
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (outstanding.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    private void sendLoop() {
        List<Exposure> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Exposure first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                long until = System.nanoTime() + linger.toNanos();
                while (batch.size() < MAX_BATCH) {
                    long left = until - System.nanoTime();
                    Exposure next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) break;
                    batch.add(next);
                }
                send(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void send(List<Exposure> batch) throws InterruptedException {
        List<PutRecordsRequestEntry> pending = new ArrayList<>(batch.size());
        for (Exposure x : batch) pending.add(entry(x));
        for (int attempt = 1; attempt <= attempts && !pending.isEmpty(); attempt++) {
            if (attempt > 1) Thread.sleep(Math.min(2_000, 50L << attempt));
            try {
                List<PutRecordsRequestEntry> request = List.copyOf(pending);
                PutRecordsResponse r = kinesis.putRecords(b -> b.streamName(stream).records(request));
                List<PutRecordsRequestEntry> failed = new ArrayList<>();
                List<PutRecordsResultEntry> results = r.records();
                for (int i = 0; i < results.size(); i++) {
                    if (results.get(i).errorCode() != null) failed.add(request.get(i));
                }
                sent.addAndGet(request.size() - failed.size());
                settle(request.size() - failed.size());
                pending = failed;
            } catch (RuntimeException e) {
                if (attempt == attempts) LOG.warn("exposure PutRecords failed: {}", e.toString());
            }
        }
        if (!pending.isEmpty()) {
            dropped.addAndGet(pending.size());
            settle(pending.size());
            // one line per dropped batch, never per request
            LOG.warn("{} exposures dropped after {} PutRecords attempts", pending.size(), attempts);
        }
    }

    private void settle(long n) {
        if (outstanding.addAndGet(-n) <= 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** The user as partition key (same shard as their interactions); anonymous answers spread by their id. */
    static PutRecordsRequestEntry entry(Exposure x) {
        String key = x.userId() != null ? x.userId() : ANONYMOUS_KEY_PREFIX + x.recommendationId();
        return PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromByteArray(EventJson.toBytes(x))).build();
    }

    @Override
    public void close() {
        running = false;
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
