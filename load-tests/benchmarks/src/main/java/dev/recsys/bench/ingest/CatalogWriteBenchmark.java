package dev.recsys.bench.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.consumer.config.RetrySettings;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.RecordPosition;
import dev.recsys.consumer.sink.DynamoItemStore;
import dev.recsys.consumer.sink.Retrier;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.StackOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What the items table costs per 1,000 catalog records (a command, not a test). The consumer's
 * {@link DynamoItemStore} (one conditional PutItem per record, 32 in flight) is timed on new items and on a replay of
 * the same records (every condition fails), against two yardsticks on the same dynalite in the same run: the same
 * rows as unconditional PutItems at the same concurrency, and as BatchWriteItem (25 per request, the emulator's
 * write ceiling). Rounds alternate so drift hits every variant alike; medians are reported. Prints one JSON object
 * and one line.
 */
public final class CatalogWriteBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_RECORD_IN_FLIGHT = 32; // DynamoItemStore's own limit
    private static final int BATCH = 25;
    private static final int KCL_BATCH = 100; // records per processRecords call the store sees

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        ObjectNode result = JSON.createObjectNode().put("benchmark", "catalog_write").put("records", records).put("rounds", rounds);
        double[] store = new double[rounds], replay = new double[rounds], rawPut = new double[rounds], rawBatch = new double[rounds];
        try (LocalStack stack = LocalStack.start(StackOptions.of(Service.DYNAMODB))) {
            DynamoDbAsyncClient dynamo = stack.dynamoDbAsync();
            for (String t : List.of("items_store", "items_put", "items_batch")) {
                stack.dynamoDb().createTable(b -> b.tableName(t).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName(ItemKeys.PARTITION_KEY).attributeType("S"))
                        .keySchema(k -> k.attributeName(ItemKeys.PARTITION_KEY).keyType("HASH")));
                stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName(t));
            }
            DynamoItemStore itemStore = new DynamoItemStore(dynamo, "items_store", new Retrier("bench", new RetrySettings()));
            warmUp(itemStore, dynamo);
            for (int r = 0; r < rounds; r++) {
                List<Cataloged> batch = records("r" + r, records);
                long t0 = System.nanoTime();
                long applied = storeAll(itemStore, batch);
                store[r] = perThousand(t0, records);
                if (applied != records) throw new IllegalStateException("store applied " + applied + " of " + records + " new items");
                t0 = System.nanoTime();
                applied = storeAll(itemStore, batch);
                replay[r] = perThousand(t0, records);
                if (applied != 0) throw new IllegalStateException("a replay applied " + applied + " records");

                List<Map<String, AttributeValue>> rows = batch.stream().map(c -> DynamoItemStore.row(c.item(), c.item().revision())).toList();
                t0 = System.nanoTime();
                putAll(dynamo, "items_put", rows);
                rawPut[r] = perThousand(t0, records);
                t0 = System.nanoTime();
                batchWriteAll(dynamo, "items_batch", rows);
                rawBatch[r] = perThousand(t0, records);
            }
            long stored = stack.dynamoDb().scanPaginator(b -> b.tableName("items_store").select("COUNT")).stream()
                    .mapToLong(p -> p.count()).sum();
            if (stored != (long) records * rounds + WARM_UP) throw new IllegalStateException("items table holds " + stored + " items");
        }
        double s = median(store), p = median(rawPut), b = median(rawBatch), rp = median(replay);
        result.put("store_ms_per_1000_new_records", round(s)).put("store_ms_per_1000_replayed_records", round(rp))
                .put("raw_putitem_ms_per_1000", round(p)).put("raw_batchwrite_ms_per_1000", round(b))
                .put("store_to_raw_putitem_ratio", round(s / p)).put("store_to_raw_batchwrite_ratio", round(s / b))
                .put("store_write_requests_per_1000_records", 1000).put("batchwrite_requests_per_1000_records", 1000 / BATCH)
                .put("store_samples_ms", Arrays.toString(rounded(store)))
                .put("raw_putitem_samples_ms", Arrays.toString(rounded(rawPut)));
        System.out.println(JSON.writeValueAsString(result));
        System.out.printf("catalog write: %,.0f ms per 1,000 new records through the items store (%.2fx unconditional PutItem at the same"
                        + " concurrency, %.2fx BatchWriteItem, the emulator's ceiling); a replay of them %,.0f ms; 1,000 write requests"
                        + " per 1,000 records (BatchWriteItem: %d, but it cannot be conditional)%n",
                s, s / p, s / b, rp, 1000 / BATCH);
    }

    private static final int WARM_UP = 500;

    private static void warmUp(DynamoItemStore store, DynamoDbAsyncClient dynamo) {
        List<Cataloged> batch = records("warm", WARM_UP);
        storeAll(store, batch);
        List<Map<String, AttributeValue>> rows = batch.stream().map(c -> DynamoItemStore.row(c.item(), c.item().revision())).toList();
        putAll(dynamo, "items_put", rows);
        batchWriteAll(dynamo, "items_batch", rows);
    }

    private static List<Cataloged> records(String prefix, int n) {
        long at = System.currentTimeMillis();
        List<Cataloged> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CatalogItem item = new CatalogItem(prefix + "-item-" + i, CatalogItem.Operation.UPSERT, at + i, "cat-" + (i % 40),
                    "brand-" + (i % 25), List.of("ga" + (i % 7), "gb" + (i % 11)), 5.0 + i % 300, at - 86_400_000L, true,
                    Map.of("title", "Item " + i, "image", "https://img.example/" + i + ".jpg"));
            out.add(new Cataloged(item, new RecordPosition(Long.toString(1_000_000L + i), 0), true));
        }
        return out;
    }

    /** As the consumer does: one storeItems call per KCL batch. */
    private static long storeAll(DynamoItemStore store, List<Cataloged> records) {
        long applied = 0;
        for (int from = 0; from < records.size(); from += KCL_BATCH) {
            applied += store.storeItems("shard-0", records.subList(from, Math.min(records.size(), from + KCL_BATCH)))
                    .stream().filter(Cataloged::applied).count();
        }
        return applied;
    }

    private static void putAll(DynamoDbAsyncClient dynamo, String table, List<Map<String, AttributeValue>> rows) {
        for (int from = 0; from < rows.size(); from += KCL_BATCH) {
            List<Map<String, AttributeValue>> slice = rows.subList(from, Math.min(rows.size(), from + KCL_BATCH));
            for (int c = 0; c < slice.size(); c += PER_RECORD_IN_FLIGHT) {
                List<CompletableFuture<?>> puts = new ArrayList<>();
                for (Map<String, AttributeValue> row : slice.subList(c, Math.min(slice.size(), c + PER_RECORD_IN_FLIGHT))) {
                    puts.add(dynamo.putItem(b -> b.tableName(table).item(row)));
                }
                CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
            }
        }
    }

    private static void batchWriteAll(DynamoDbAsyncClient dynamo, String table, List<Map<String, AttributeValue>> rows) {
        List<CompletableFuture<?>> batches = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += BATCH) {
            List<WriteRequest> writes = rows.subList(from, Math.min(rows.size(), from + BATCH)).stream()
                    .map(row -> WriteRequest.builder().putRequest(p -> p.item(row)).build()).toList();
            batches.add(CompletableFuture.runAsync(() -> {
                List<WriteRequest> left = writes;
                while (!left.isEmpty()) {
                    List<WriteRequest> current = left;
                    left = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, current))).join()
                            .unprocessedItems().getOrDefault(table, List.of());
                }
            }));
        }
        CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new)).join();
    }

    private static double perThousand(long startNanos, int records) {
        return (System.nanoTime() - startNanos) / 1e6 * 1000.0 / records;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static long[] rounded(double[] v) {
        return Arrays.stream(v).mapToLong(Math::round).toArray();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
