package dev.recsys.producer.core;

/** A record (or, from {@code flush()}, some records) could not be delivered to Kinesis. */
public class ProducerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long failedRecords;

    public ProducerException(String message, long failedRecords, Throwable cause) {
        super(message, cause);
        this.failedRecords = failedRecords;
    }

    public ProducerException(String message) {
        this(message, 1, null);
    }

    /** How many user records this failure covers. */
    public long failedRecords() {
        return failedRecords;
    }
}
