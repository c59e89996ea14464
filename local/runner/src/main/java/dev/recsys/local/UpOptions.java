package dev.recsys.local;

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

    public static final String USAGE = """
            usage: recsys up [--events N] [--rate EVENTS_PER_S] [--shards N] [--seed N] [--work-dir DIR] [--exit-when-done]
              Starts the offline AWS stand-ins, the kcl-consumer, streams synthetic traffic through the KPL,
              and prints where the data landed with live counts. Ctrl-C stops everything it started.
            defaults: --events 30000 --rate 3000 --shards 4 --seed 42 --work-dir .recsys""";

    public static UpOptions parse(List<String> args) {
        long events = 30_000;
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
