package dev.recsys.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Options of {@code recsys up}.
 *
 * @param events       synthetic events to stream
 * @param rate         events per second (the KPL aggregates them)
 * @param shards       Kinesis shards
 * @param seed         workload seed (same seed, same traffic)
 * @param workDir      logs, notifications and emulator state
 * @param exitWhenDone stop after the walkthrough instead of serving until Ctrl-C
 */
public record UpOptions(long events, double rate, int shards, long seed, Path workDir, boolean exitWhenDone) {

    /** Also printed by the {@code recsys} script before it builds anything, so it lives in one file. */
    /** Enough for every model to pass the quality gate against popularity on the synthetic workload. */
    public static final long DEFAULT_EVENTS = 30_000;

    public static final String USAGE = usage();

    /** {@code --help} or {@code -h} anywhere: print {@link #USAGE}, run nothing. */
    public static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    public static UpOptions parse(List<String> args) {
        long events = DEFAULT_EVENTS;
        double rate = 3_000;
        int shards = 4;
        long seed = 42;
        Path workDir = Path.of(".recsys");
        boolean exit = false;
        Deque<String> a = new ArrayDeque<>(args);
        while (!a.isEmpty()) {
            String flag = a.poll();
            switch (flag) {
                case "--events" -> events = positiveLong(flag, a.poll());
                case "--rate" -> rate = positiveLong(flag, a.poll());
                case "--shards" -> shards = (int) Math.min(64, positiveLong(flag, a.poll()));
                case "--seed" -> seed = positiveLong(flag, a.poll());
                case "--work-dir" -> workDir = Path.of(require(flag, a.poll()));
                case "--exit-when-done" -> exit = true;
                default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
            }
        }
        return new UpOptions(events, rate, shards, seed, workDir.toAbsolutePath(), exit);
    }

    private static String usage() {
        try (InputStream in = UpOptions.class.getResourceAsStream("up-usage.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String require(String flag, String value) {
        if (value == null) throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        return value;
    }

    private static long positiveLong(String flag, String value) {
        try {
            long v = Long.parseLong(require(flag, value));
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a positive integer, got " + value + "\n" + USAGE);
        }
    }
}
