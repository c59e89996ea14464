package dev.recsys.local.stack.emulator;

import java.util.List;

/** A running stand-in. {@link #close()} stops it and waits for its processes to end. */
public interface Emulator extends AutoCloseable {

    /** Operating-system ids of the child processes it runs (empty for in-process emulators). */
    List<Long> pids();

    @Override
    void close();
}
