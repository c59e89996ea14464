package dev.recsys.consumer.it;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.consumer.ingest.RecordPosition;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.producer.EventProducer;
import dev.recsys.producer.ProducerConfig;
import dev.recsys.producer.Producers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

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

    private static EventProducer producer(LocalStack stack, String stream, ProducerConfig.Mode mode) {
        Endpoints e = stack.endpoints();
        return Producers.create(ProducerConfig.local(mode, stream, e.kinesis(), e.accessKey(), e.secretKey()));
    }

    /** The last user record (sequence + KPL sub-sequence) of every shard. */
    static Map<String, RecordPosition> lastPositions(KinesisClient kinesis, String stream) {
        Map<String, RecordPosition> last = new HashMap<>();
        AggregatorUtil deaggregator = new AggregatorUtil();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String it = iterator;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000));
                List<KinesisClientRecord> records = deaggregator.deaggregate(
                        r.records().stream().map(KinesisClientRecord::fromRecord).toList());
                for (KinesisClientRecord rec : records) {
                    last.put(shard.shardId(), new RecordPosition(rec.sequenceNumber(), rec.subSequenceNumber()));
                }
                iterator = r.millisBehindLatest() != null && r.millisBehindLatest() == 0 && r.records().isEmpty()
                        ? null : r.nextShardIterator();
            }
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
