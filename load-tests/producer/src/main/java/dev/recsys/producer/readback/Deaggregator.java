package dev.recsys.producer.readback;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.kinesis.producer.protobuf.Messages;

/**
 * Splits a KPL aggregated Kinesis record into its user records. The format: 4 magic bytes, a protobuf
 * {@code AggregatedRecord}, and the MD5 of that protobuf. Anything else is one plain user record.
 */
public final class Deaggregator {

    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST_LENGTH = 16;

    private Deaggregator() {}

    public static List<UserRecord> split(String shardId, String sequenceNumber, String partitionKey, byte[] data) {
        Messages.AggregatedRecord aggregated = parse(data);
        if (aggregated == null) {
            return List.of(new UserRecord(shardId, sequenceNumber, 0, partitionKey, data, false));
        }
        List<UserRecord> out = new ArrayList<>(aggregated.getRecordsCount());
        for (int i = 0; i < aggregated.getRecordsCount(); i++) {
            Messages.Record r = aggregated.getRecords(i);
            out.add(new UserRecord(shardId, sequenceNumber, i,
                    aggregated.getPartitionKeyTable((int) r.getPartitionKeyIndex()), r.getData().toByteArray(), true));
        }
        return out;
    }

    private static Messages.AggregatedRecord parse(byte[] data) {
        if (data.length < MAGIC.length + DIGEST_LENGTH || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return null;
        }
        byte[] body = Arrays.copyOfRange(data, MAGIC.length, data.length - DIGEST_LENGTH);
        byte[] digest = Arrays.copyOfRange(data, data.length - DIGEST_LENGTH, data.length);
        if (!Arrays.equals(md5(body), digest)) {
            return null;
        }
        try {
            return Messages.AggregatedRecord.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JVM", e);
        }
    }
}
