package dev.recsys.local.stack.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One emulator child process whose stdout and stderr go to a log file, in a session of its own (a
 * Ctrl-C reaches only its owner, see {@link OwnSession}). Stopping it ends its descendants too,
 * politely first (SIGTERM) and then by force.
 */
public final class ChildProcess implements AutoCloseable {

    private static final long GRACE_MILLIS = 5_000;

    private final String name;
    private final Process process;
    private final Path logFile;
    private volatile boolean stopping;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command} in {@code workDir} with extra environment, appending its output to {@code logFile}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                     Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workDir);
            ProcessBuilder pb = new ProcessBuilder(OwnSession.command(command))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            pb.environment().putAll(env);
            return new ChildProcess(name, pb.start(), logFile);
        } catch (IOException e) {
            throw new LocalStackException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** The last {@code maxBytes} of the log, for error messages. */
    public String logTail(int maxBytes) {
        return tail(logFile, maxBytes);
    }

    /** When the process has exited without {@link #close()}: its exit code and the end of its log. */
    public Optional<String> exitReport() {
        if (stopping || process.isAlive()) return Optional.empty();
        return Optional.of(exited(name + " (pid " + process.pid() + ")", logTail(2_000)));
    }

    /** Fails with the log tail if the process has already exited ({@link PortClashException} for a lost port race). */
    public void checkAlive() {
        if (!process.isAlive()) {
            String tail = logTail(2_000);
            String message = exited(name, tail);
            throw PortClashException.looksLikeClash(tail) ? new PortClashException(message) : new LocalStackException(message);
        }
    }

    /** For a child that is alive but not answering: its CPU time so far and the end of its log. */
    public String stallReport() {
        String cpu = process.info().totalCpuDuration().map(d -> d.toMillis() + " ms CPU").orElse("CPU time unknown");
        return name + " (pid " + process.pid() + ") alive, " + cpu + "; log " + logFile + " ends with:\n" + logTail(2_000);
    }

    private String exited(String who, String tail) {
        return who + " exited with code " + process.exitValue() + "; log " + logFile + " ends with:\n" + tail;
    }

    @Override
    public void close() {
        stopping = true;
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    static String tail(Path file, int maxBytes) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - maxBytes);
            byte[] bytes = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
