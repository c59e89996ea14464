package dev.recsys.producer.core;

import java.nio.charset.StandardCharsets;

/** Kinesis's own limits for one record, checked before sending so bad input fails with a clear reason. */
public final class RecordLimits {

    public static final int MAX_PARTITION_KEY_CHARS = 256;
    /** Data plus partition key (UTF-8) of one record. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    private RecordLimits() {}

    /** The reason the record cannot be sent, or {@code null} when it is fine. */
    public static String violation(String partitionKey, byte[] data) {
        if (partitionKey == null || partitionKey.isEmpty()) {
            return "partition key is empty";
        }
        if (partitionKey.length() > MAX_PARTITION_KEY_CHARS) {
            return "partition key has " + partitionKey.length() + " characters (max " + MAX_PARTITION_KEY_CHARS + ")";
        }
        if (data == null) {
            return "data is null";
        }
        long size = (long) data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_RECORD_BYTES) {
            return "record is " + size + " bytes (max " + MAX_RECORD_BYTES + " for data plus partition key)";
        }
        return null;
    }
}
