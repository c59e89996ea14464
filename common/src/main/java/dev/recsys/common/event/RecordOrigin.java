package dev.recsys.common.event;

/**
 * Where a Kinesis user record came from. It supplies the fallbacks the contract allows:
 * a stable event id from the record's position and the event time from its arrival.
 *
 * @param approximateArrivalMillis Kinesis approximate arrival timestamp, epoch ms
 */
public record RecordOrigin(String shardId, String sequenceNumber, long subSequenceNumber, long approximateArrivalMillis) {

    /** Stable across replays and lease takeovers: the same record always yields the same id. */
    public String derivedEventId() {
        return "kin-" + shardId + "-" + sequenceNumber + "-" + subSequenceNumber;
    }
}
