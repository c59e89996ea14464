package dev.recsys.training;

/** The state input does not fit the action (a bug in the state machine, not a transient fault): never retried. */
public final class InvalidTaskInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidTaskInputException(String message) {
        super(message);
    }
}
