package dev.recsys.local.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.ingest.ConsumerProcess.Deployment;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.producer.Producers;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.core.ProducerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The walkthrough's data on the stream, as producers send it: the synthetic catalog as item records, then the
 * synthetic traffic, both through the KPL into the running consumer, and a summary of where it all landed. Every
 * figure printed is counted in the stores, not taken from what was sent.
 */
public final class DemoTraffic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStack stack;
    private final Deployment deployment;
    private final PrintStream out;
    private final BooleanSupplier stopRequested;

    /** @param stopRequested true once Ctrl-C asked the run to stop: streaming ends at the next event */
    public DemoTraffic(LocalStack stack, Deployment deployment, PrintStream out, BooleanSupplier stopRequested) {
        this.stack = stack;
        this.deployment = deployment;
        this.out = out;
        this.stopRequested = stopRequested;
    }

    /**
     * The synthetic catalog and users as item and user records on the stream, before the first event that names
     * them; what it prints is counted in the items and users tables.
     */
    public void streamCatalog(long seed) throws Exception {
        long now = System.currentTimeMillis();
        SyntheticWorkload workload = new SyntheticWorkload(SyntheticWorkload.Config.reference(seed, 0, now));
        List<CatalogItem> catalog = workload.catalog(now);
        List<CatalogUser> users = workload.users(now);
        Endpoints e = stack.endpoints();
        long t0 = System.nanoTime();
        try (EventProducer producer = Producers.create(ProducerConfig.local(ProducerConfig.Mode.KPL, deployment.stream(), e.kinesis(),
                e.accessKey(), e.secretKey()))) {
            for (CatalogItem item : catalog) producer.sendRaw(item.itemId(), EventJson.toBytes(item));
            for (CatalogUser user : users) producer.sendRaw(user.userId(), EventJson.toBytes(user));
            producer.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long rows = count(deployment.itemsTable());
        long userRows = count(deployment.usersTable());
        while ((rows < catalog.size() || userRows < users.size()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            rows = count(deployment.itemsTable());
            userRows = count(deployment.usersTable());
        }
        long categories = catalog.stream().map(CatalogItem::category).distinct().count();
        long unavailable = catalog.stream().filter(i -> Boolean.FALSE.equals(i.available())).count();
        out.printf("Catalog: %,d items (%d categories, %d unavailable) and %,d users (segment, membership, age) as records through"
                        + " the KPL; items table %s holds %,d rows, users table %s %,d, after %.1f s%n", catalog.size(), categories,
                unavailable, users.size(), deployment.itemsTable(), rows, deployment.usersTable(), userRows, (System.nanoTime() - t0) / 1e9);
        if (rows < catalog.size()) throw new IllegalStateException("the consumer stored " + rows + " of " + catalog.size() + " catalog items");
        if (userRows < users.size()) throw new IllegalStateException("the consumer stored " + userRows + " of " + users.size() + " users");
    }

    /**
     * Streams the synthetic workload through the KPL and prints live counts until the consumer has it all.
     *
     * @return the events Kinesis acknowledged
     */
    public long streamTraffic(ConsumerProcess consumer, long seed, long events, double rate) throws Exception {
        Endpoints e = stack.endpoints();
        SyntheticWorkload workload = new SyntheticWorkload(SyntheticWorkload.Config.reference(seed, events,
                System.currentTimeMillis() - events * 5));
        ProducerConfig config = ProducerConfig.local(ProducerConfig.Mode.KPL, deployment.stream(), e.kinesis(), e.accessKey(),
                e.secretKey()).withRateLimit(rate);
        out.printf("Streaming %,d synthetic events (%,d users, %,d items, %d taste clusters) through the KPL at %,.0f/s%n",
                events, workload.config().users(), workload.config().items(), workload.config().clusters(), rate);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CompletableFuture<Void> producing;
        EventProducer producer = Producers.create(config);
        producing = CompletableFuture.runAsync(() -> {
            try {
                for (Iterator<InteractionEvent> it = workload.iterator(); it.hasNext() && !stopRequested.getAsBoolean(); ) {
                    producer.send(it.next()).whenComplete((ok, err) -> {
                        if (err != null) failed.incrementAndGet();
                    });
                    sent.incrementAndGet();
                }
            } finally {
                producer.close(); // also when a send fails: the KPL's native child must not outlive it
            }
        });
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try {
            while (System.nanoTime() < deadline && !stopRequested.getAsBoolean()) {
                Thread.sleep(2_000);
                Counts c = counts(consumer);
                out.printf("  sent %,8d  failed %,d | consumer: records in %,8d  events written %,8d  dead-lettered %,d  lag %,d ms"
                                + " (KCL MillisBehindLatest %,d ms)%n",
                        sent.get(), failed.get(), c.recordsIn, c.written, c.deadLettered, c.lag, c.millisBehind);
                if (producing.isDone() && c.written + c.duplicates + c.deadLettered >= sent.get() - failed.get()) break;
            }
        } finally {
            // Also on Ctrl-C: the producer stops at its next event and closes (flushes what Kinesis acknowledged,
            // ends the KPL's native child) while the stream and the consumer are still up.
            producing.exceptionally(x -> null).join();
        }
        producing.join();
        if (stopRequested.getAsBoolean()) throw new InterruptedException("Ctrl-C while streaming");
        if (failed.get() > 0) out.printf("  WARNING: %,d events were not acknowledged by Kinesis%n", failed.get());
        return sent.get() - failed.get();
    }

    private record Counts(long recordsIn, long written, long duplicates, long deadLettered, long lag, long millisBehind) {}

    private static Counts counts(ConsumerProcess consumer) {
        String metrics = consumer.admin("/metrics");
        if (metrics == null) return new Counts(0, 0, 0, 0, 0, 0);
        try {
            JsonNode m = JSON.readTree(metrics);
            return new Counts(m.at("/meters/ingest.recordsIn/count").asLong(), m.at("/meters/ingest.eventsWritten/count").asLong(),
                    m.at("/meters/ingest.duplicates/count").asLong(), m.at("/meters/ingest.deadLettered/count").asLong(),
                    m.at("/gauges/ingest.lagMillis/value").asLong(), m.at("/gauges/kcl.millisBehindLatest/value").asLong());
        } catch (IOException ex) {
            return new Counts(0, 0, 0, 0, 0, 0);
        }
    }

    /** What landed where, with the names and endpoints to inspect it by. */
    public void printWhereDataLanded(ConsumerProcess consumer, long produced, int shards) throws InterruptedException {
        Thread.sleep(6_000); // one checkpoint interval: profiles, S3 objects and checkpoints complete
        Endpoints e = stack.endpoints();
        long rows = count(deployment.interactionsTable());
        long profiles = count(deployment.profilesTable());
        long raw = objects(S3Layout.RAW_PREFIX);
        long dead = objects(S3Layout.DEAD_LETTER_PREFIX);
        Counts c = counts(consumer);
        out.println();
        out.println("Where the data landed (same names as on AWS; endpoints are the local stand-ins):");
        out.printf("  Kinesis   stream %-16s %d shards, %,d events acknowledged            %s%n", deployment.stream(), shards, produced, e.kinesis());
        out.printf("  DynamoDB  table  %-16s %,d rows (PK %s, SK %s; LSI %s, GSI %s) %s%n", deployment.interactionsTable(), rows,
                InteractionKeys.PARTITION_KEY, InteractionKeys.SORT_KEY, InteractionKeys.TIME_INDEX, InteractionKeys.ITEM_INDEX,
                e.dynamodb());
        out.printf("            table  %-16s %,d user profiles (idempotent counters)%n", deployment.profilesTable(), profiles);
        out.printf("            table  %-16s %,d items, table %s %,d users (latest record of each; deletes as tombstones)%n",
                deployment.itemsTable(), count(deployment.itemsTable()), deployment.usersTable(), count(deployment.usersTable()));
        out.printf("            table  %-16s KCL leases and checkpoints%n", deployment.application());
        out.printf("  S3        s3://%s/%s  %,d gzip JSON Lines objects (%.2f per 1,000 events)  %s%n", deployment.bucket(),
                S3Layout.RAW_PREFIX, raw, produced == 0 ? 0 : raw * 1000.0 / produced, e.s3());
        out.printf("            s3://%s/%s and %s  %,d and %,d objects (catalog records as they arrived)%n", deployment.bucket(),
                S3Layout.RAW_ITEMS_PREFIX, S3Layout.RAW_USERS_PREFIX, objects(S3Layout.RAW_ITEMS_PREFIX), objects(S3Layout.RAW_USERS_PREFIX));
        out.printf("            s3://%s/%s  %,d objects%n", deployment.bucket(), S3Layout.DEAD_LETTER_PREFIX, dead);
        out.printf("  Consumer  %,d events written, %,d duplicates skipped, %,d dead-lettered%n", c.written, c.duplicates, c.deadLettered);
        out.println("  Inspect with the AWS CLI, e.g.:");
        out.printf("    AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --region %s --endpoint-url %s dynamodb query --table-name %s "
                + "--key-condition-expression 'user_id = :u' --expression-attribute-values '{\":u\":{\"S\":\"%s\"}}'%n",
                e.accessKey(), e.secretKey(), e.region(), e.dynamodb(), deployment.interactionsTable(), SyntheticWorkload.userId(0));
        out.println();
    }

    private long count(String table) {
        return stack.dynamoDb().scanPaginator(b -> b.tableName(table).select("COUNT")).stream().mapToLong(r -> r.count()).sum();
    }

    private long objects(String prefix) {
        return stack.s3().listObjectsV2Paginator(b -> b.bucket(deployment.bucket()).prefix(prefix)).contents().stream().count();
    }
}
