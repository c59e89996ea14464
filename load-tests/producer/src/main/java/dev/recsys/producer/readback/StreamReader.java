package dev.recsys.producer.readback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Reads a whole stream back from TRIM_HORIZON with GetRecords, de-aggregating KPL records: for tests and checks. */
public final class StreamReader {

    /** What the stream holds: Kinesis records, and the user records inside them. */
    public record Contents(int kinesisRecords, List<UserRecord> userRecords) {
    }

    private final KinesisClient kinesis;

    public StreamReader(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    /** Everything currently in every shard of {@code stream}. */
    public Contents readAll(String stream, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int kinesisRecords = 0;
        List<UserRecord> users = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + stream + " took longer than " + timeout);
                }
                String current = iterator;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (Record rec : r.records()) {
                    kinesisRecords++;
                    users.addAll(Deaggregator.split(shard.shardId(), rec.sequenceNumber(), rec.partitionKey(),
                            rec.data().asByteArray()));
                }
                boolean caughtUp = r.records().isEmpty()
                        && (r.millisBehindLatest() == null || r.millisBehindLatest() == 0);
                iterator = caughtUp ? null : r.nextShardIterator();
            }
        }
        return new Contents(kinesisRecords, users);
    }
}
