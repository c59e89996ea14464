package dev.recsys.training;

/**
 * Throttling or a server-side fault after the SDK's own retries: the state machine retries the task
 * with backoff (its Retry matches this class name, which is the Lambda error type).
 */
public final class TransientAwsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TransientAwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
