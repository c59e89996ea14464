package dev.recsys.local.stack.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts children in a session of their own. A terminal's Ctrl-C signals the whole foreground process
 * group: children in it would die at once, before the runner could stop them in order (consumers flush
 * into the stores first, then the stores stop). In their own session only the runner gets the signal.
 * {@code setsid} keeps the child's pid (a JVM's child never leads a group, so it execs without forking);
 * where it is missing (macOS) children stay in the caller's group, as before.
 */
public final class OwnSession {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private OwnSession() {}

    /** {@code command}, run in a new session where the platform allows. */
    public static List<String> command(List<String> command) {
        if (!available()) return command;
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    public static boolean available() {
        return Files.isExecutable(SETSID);
    }
}
