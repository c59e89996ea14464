package dev.recsys.local.stack.process;

/** An emulator could not be started, became unhealthy, or a stack operation failed. */
public class LocalStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
