package dev.recsys.consumer.it;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.consumer.ingest.RecordPosition;
import dev.recsys.local.stack.LocalStack;
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

    static void send(LocalStack stack, String stream, List<InteractionEvent> events) throws Exception {
        // TEMPORARY until the producer module lands
        for (int i = 0; i < events.size(); i += 500) {
            var batch = events.subList(i, Math.min(events.size(), i + 500)).stream()
                    .map(e -> software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry.builder()
                            .partitionKey(e.userId())
                            .data(software.amazon.awssdk.core.SdkBytes.fromByteArray(dev.recsys.common.event.EventJson.toBytes(e))).build())
                    .toList();
            var r = stack.kinesis().putRecords(b -> b.streamName(stream).records(batch));
            if (r.failedRecordCount() > 0) throw new IllegalStateException("put failed");
        }
    }

    static void sendRaw(LocalStack stack, String stream, String partitionKey, List<byte[]> payloads) {
        // TEMPORARY until the producer module lands
        for (byte[] p : payloads) {
            stack.kinesis().putRecord(b -> b.streamName(stream).partitionKey(partitionKey)
                    .data(software.amazon.awssdk.core.SdkBytes.fromByteArray(p)));
        }
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
