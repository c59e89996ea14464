package dev.recsys.consumer.sink;

/** A durable write did not complete after its retries: the batch must not be checkpointed. */
public class SinkException extends RuntimeException {
    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }

    public SinkException(String message) {
        super(message);
    }
}
