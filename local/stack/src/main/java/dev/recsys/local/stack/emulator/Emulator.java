package dev.recsys.local.stack.emulator;

import java.util.List;
import java.util.Optional;

/** A running stand-in. {@link #close()} stops it and waits for its processes to end. */
public interface Emulator extends AutoCloseable {

    /** Operating-system ids of the child processes it runs (empty for in-process emulators). */
    List<Long> pids();

    /**
     * How it ended, when it exited on its own (exit code and the end of its log); empty while it runs, after a
     * deliberate stop, and for in-process emulators.
     */
    default Optional<String> exitedOnItsOwn() {
        return Optional.empty();
    }

    @Override
    void close();
}
