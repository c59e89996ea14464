package dev.recsys.consumer.it;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.consumer.record.RecordPosition;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.Producers;
import dev.recsys.producer.readback.StreamReader;
import dev.recsys.producer.readback.UserRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Sends traffic with the project's producer and reads back where each shard ends. */
final class TestTraffic {

    private TestTraffic() {}

    /** Plain PutRecords: one Kinesis record per event. */
    static void send(LocalStack stack, String stream, List<InteractionEvent> events) {
        send(stack, stream, events, ProducerConfig.Mode.PUT_RECORDS);
    }

    /** Sends with the project's producer and waits until Kinesis acknowledged every event. */
    static void send(LocalStack stack, String stream, List<InteractionEvent> events, ProducerConfig.Mode mode) {
        try (EventProducer producer = producer(stack, stream, mode)) {
            producer.sendAll(events).join();
        }
    }

    static void sendRaw(LocalStack stack, String stream, String partitionKey, List<byte[]> payloads) {
        try (EventProducer producer = producer(stack, stream, ProducerConfig.Mode.PUT_RECORDS)) {
            for (byte[] p : payloads) producer.sendRaw(partitionKey, p).join(); // one by one: keeps their order
        }
    }

    /**
     * Catalog records, partition key = item id, all at once: their order does not matter (the items table keeps each
     * item's greatest revision whatever the order), and the tests that need "later" send in a later call.
     */
    static void sendItems(LocalStack stack, String stream, List<CatalogItem> items) {
        sendKeyed(stack, stream, items, CatalogItem::itemId, EventJson::toBytes);
    }

    /** User records likewise, partition key = user id. */
    static void sendUsers(LocalStack stack, String stream, List<CatalogUser> users) {
        sendKeyed(stack, stream, users, CatalogUser::userId, EventJson::toBytes);
    }

    private static <T> void sendKeyed(LocalStack stack, String stream, List<T> records, Function<T, String> partitionKey,
                                      Function<T, byte[]> data) {
        try (EventProducer producer = producer(stack, stream, ProducerConfig.Mode.PUT_RECORDS)) {
            java.util.concurrent.CompletableFuture.allOf(records.stream().map(r -> producer.sendRaw(partitionKey.apply(r), data.apply(r)))
                    .toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        }
    }

    private static EventProducer producer(LocalStack stack, String stream, ProducerConfig.Mode mode) {
        Endpoints e = stack.endpoints();
        return Producers.create(ProducerConfig.local(mode, stream, e.kinesis(), e.accessKey(), e.secretKey()));
    }

    /** The last user record (sequence + KPL sub-sequence) of every shard. */
    static Map<String, RecordPosition> lastPositions(KinesisClient kinesis, String stream) {
        Map<String, RecordPosition> last = new HashMap<>();
        for (UserRecord r : new StreamReader(kinesis).readAll(stream, Duration.ofSeconds(60)).userRecords()) {
            last.put(r.shardId(), new RecordPosition(r.sequenceNumber(), r.subSequence()));
        }
        return last;
    }

    /** True when every shard's checkpoint is at (or past) its last record. */
    static boolean fullyCheckpointed(LocalStack stack, ConsumerSetup setup, StoreInspector inspect) {
        Map<String, RecordPosition> last = lastPositions(stack.kinesis(), setup.stream);
        Map<String, StoreInspector.Lease> leases = new HashMap<>();
        inspect.leases().forEach(l -> leases.put(l.shardId(), l));
        for (Map.Entry<String, RecordPosition> e : last.entrySet()) {
            StoreInspector.Lease lease = leases.get(e.getKey());
            if (lease == null || lease.checkpoint() == null || !lease.checkpoint().chars().allMatch(Character::isDigit)) {
                return false;
            }
            if (new RecordPosition(lease.checkpoint(), lease.subSequence()).compareTo(e.getValue()) < 0) return false;
        }
        return true;
    }
}
