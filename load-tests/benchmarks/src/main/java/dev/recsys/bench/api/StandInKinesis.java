package dev.recsys.bench.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A documented stand-in for Kinesis PutRecords, for the API benchmark only: it accepts every record at
 * once (AWS JSON 1.1; the benchmark turns the SDK's CBOR off) and counts them, so "exposures on"
 * measures what exposure logging costs the API — the queue, the serialising and the sending thread —
 * not the emulator's speed (kinesis-mock takes ~500 records/s, far below the API's request rate).
 */
public final class StandInKinesis implements AutoCloseable {

    private static final byte[] PARTITION_KEY = "\"PartitionKey\"".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final AtomicLong records = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final StandInServer server = new StandInServer("standin-kinesis", 2, 64, this::serve);

    private StandInKinesis() {}

    public static StandInKinesis start() {
        return new StandInKinesis();
    }

    public URI uri() {
        return server.uri();
    }

    /** Records accepted so far. */
    public long records() {
        return records.get();
    }

    /** CPU its request threads spent, so a reader can tell the stand-in's cost from the sender's. */
    public long cpuNanos() {
        return cpuNanos.get();
    }

    /**
     * Counts the request's records by their {@code "PartitionKey"} members (the data is base64, so the name cannot
     * occur inside a value) instead of parsing the body into a tree: the stand-in runs on the API's own two cores,
     * and what it spends there is charged to exposure logging in the figures.
     */
    private void serve(HttpExchange exchange) throws IOException {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        try (exchange) {
            byte[] req = exchange.getRequestBody().readAllBytes();
            if (!"Kinesis_20131202.PutRecords".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
                StandInServer.respond(exchange, 400, "application/x-amz-json-1.1",
                        "{\"__type\":\"InvalidArgumentException\",\"message\":\"only PutRecords\"}".getBytes());
                return;
            }
            int n = occurrences(req, PARTITION_KEY);
            StringBuilder out = new StringBuilder(32 + n * 64).append("{\"FailedRecordCount\":0,\"Records\":[");
            for (int i = 0; i < n; i++) {
                if (i > 0) out.append(',');
                out.append("{\"SequenceNumber\":\"").append(records.incrementAndGet()).append("\",\"ShardId\":\"shardId-000000000000\"}");
            }
            StandInServer.respond(exchange, 200, "application/x-amz-json-1.1",
                    out.append("]}").toString().getBytes(StandardCharsets.US_ASCII));
        } finally {
            cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
        }
    }

    private static int occurrences(byte[] haystack, byte[] needle) {
        int count = 0;
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            count++;
            i += needle.length - 1;
        }
        return count;
    }

    @Override
    public void close() {
        server.close();
    }
}
