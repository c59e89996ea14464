package dev.recsys.consumer.record;

import java.math.BigInteger;

/**
 * Position of a user record in a shard: Kinesis sequence number plus the KPL sub-sequence number
 * (0 for unaggregated records). {@link #sortable()} renders it so that string order equals stream
 * order, which lets DynamoDB conditions compare positions.
 */
public record RecordPosition(String sequenceNumber, long subSequenceNumber) implements Comparable<RecordPosition> {

    private static final int SEQUENCE_DIGITS = 40; // Kinesis sequence numbers are < 2^128 (39 digits)

    public RecordPosition {
        if (sequenceNumber == null || sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("sequence number must be decimal digits: " + sequenceNumber);
        }
        if (subSequenceNumber < 0) {
            throw new IllegalArgumentException("sub-sequence number must be >= 0");
        }
    }

    public String sortable() {
        String digits = new BigInteger(sequenceNumber).toString();
        return "0".repeat(Math.max(0, SEQUENCE_DIGITS - digits.length())) + digits
                + ":" + String.format("%010d", subSequenceNumber);
    }

    @Override
    public int compareTo(RecordPosition o) {
        int c = new BigInteger(sequenceNumber).compareTo(new BigInteger(o.sequenceNumber));
        return c != 0 ? c : Long.compare(subSequenceNumber, o.subSequenceNumber);
    }
}
