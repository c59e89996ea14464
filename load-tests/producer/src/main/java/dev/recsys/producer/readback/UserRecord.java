package dev.recsys.producer.readback;

/**
 * One user record as read back from the stream.
 *
 * @param subSequence position inside its aggregated Kinesis record (0 for an unaggregated one)
 * @param aggregated  whether it came out of a KPL aggregated record
 */
public record UserRecord(String shardId, String sequenceNumber, long subSequence, String partitionKey, byte[] data,
                         boolean aggregated) {
}
