package dev.recsys.producer;

import dev.recsys.producer.core.ProducerException;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.workload.SyntheticWorkload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Streams {@link SyntheticWorkload} events to Kinesis (local stack or AWS), optionally after its catalog (one item
 * record per item, partition key = the item), printing progress every second
 * and finally one JSON line and one text line. Exit code 0 when every event was acknowledged, 1 when some
 * failed, 2 on bad arguments.
 */
public final class ProducerMain {

    private ProducerMain() {}

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command; returns its exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        ProducerArgs a;
        try {
            a = ProducerArgs.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(ProducerArgs.USAGE);
            return 2;
        }
        if (a.createShards() > 0) {
            ensureStream(a.config(), a.createShards(), out);
        }
        SyntheticWorkload workload = new SyntheticWorkload(new SyntheticWorkload.Config(a.seed(), a.users(), a.items(),
                a.clusters(), 0.9, 0.8, 0.85, a.events(), System.currentTimeMillis() - a.events() * 5, 5));
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long sent = 0;
        long t0 = System.nanoTime();
        long nextReport = t0 + Duration.ofSeconds(1).toNanos();
        String firstError = null;
        long items = 0;
        AtomicLong itemsAcked = new AtomicLong();
        try (EventProducer producer = Producers.create(a.config())) {
            if (a.catalog()) {
                for (CatalogItem item : workload.catalog(System.currentTimeMillis())) {
                    producer.sendRaw(item.itemId(), EventJson.toBytes(item))
                            .whenComplete((ok, x) -> (x == null ? itemsAcked : failed).incrementAndGet());
                    items++;
                }
                producer.flush(); // the catalog is on the stream before the first event that names its items
            }
            for (InteractionEvent e : workload) {
                producer.send(e).whenComplete((ok, x) -> (x == null ? acked : failed).incrementAndGet());
                sent++;
                if (System.nanoTime() >= nextReport) {
                    out.printf(Locale.ROOT, "progress: sent %d/%d acked %d failed %d (%.0f events/s)%n", sent,
                            a.events(), acked.get(), failed.get(), acked.get() / seconds(t0));
                    nextReport = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
            producer.flush();
        } catch (ProducerException e) {
            firstError = e.getMessage();
        }
        double secs = seconds(t0);
        out.printf(Locale.ROOT, "{\"mode\":\"%s\",\"stream\":\"%s\",\"events\":%d,\"acked\":%d,\"failed\":%d,"
                        + "\"items\":%d,\"items_acked\":%d,\"seconds\":%.3f,\"events_per_second\":%.1f}%n", a.config().mode(),
                a.config().streamName(), a.events(), acked.get(), failed.get(), items, itemsAcked.get(), secs, acked.get() / secs);
        out.printf(Locale.ROOT, "%s: %d of %d events acknowledged on %s in %.2f s (%.0f events/s)%s%n",
                a.config().mode(), acked.get(), a.events(), a.config().streamName(), secs, acked.get() / secs,
                firstError == null ? "" : "; FAILED: " + firstError);
        return firstError == null && failed.get() == 0 && acked.get() == a.events() && itemsAcked.get() == items ? 0 : 1;
    }

    private static double seconds(long t0) {
        return Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
    }

    private static void ensureStream(ProducerConfig config, int shards, PrintStream out) {
        try (KinesisClient kinesis = dev.recsys.producer.sdk.PutRecordsProducer.adminClient(config)) {
            try {
                kinesis.describeStreamSummary(b -> b.streamName(config.streamName()));
            } catch (ResourceNotFoundException missing) {
                try {
                    kinesis.createStream(b -> b.streamName(config.streamName()).shardCount(shards));
                    out.println("created stream " + config.streamName() + " with " + shards + " shards");
                } catch (ResourceInUseException raced) {
                    // someone else created it meanwhile: fine
                }
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (kinesis.describeStreamSummary(b -> b.streamName(config.streamName())).streamDescriptionSummary()
                    .streamStatus() != StreamStatus.ACTIVE) {
                if (System.nanoTime() > deadline) {
                    throw new ProducerException("stream " + config.streamName() + " not ACTIVE after 2 minutes");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProducerException("interrupted while waiting for the stream", 0, e);
                }
            }
        }
    }
}
