package dev.recsys.local.stack.process;

import java.util.function.Supplier;

/** A child died because another process took its port between our probe and its bind: worth a retry. */
public final class PortClashException extends LocalStackException {
    private static final long serialVersionUID = 1L;
    private static final int ATTEMPTS = 3;

    public PortClashException(String message) {
        super(message);
    }

    static boolean looksLikeClash(String log) {
        return log.contains("EADDRINUSE") || log.contains("Address already in use");
    }

    /** Runs {@code attempt} (which picks fresh ports each time) until it does not clash, at most three times. */
    public static <T> T retrying(Supplier<T> attempt) {
        PortClashException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return attempt.get();
            } catch (PortClashException e) {
                last = e;
            }
        }
        throw last;
    }
}
