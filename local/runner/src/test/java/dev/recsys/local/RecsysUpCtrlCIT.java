package dev.recsys.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.recsys.local.stack.process.OwnSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on {@code recsys up} as a terminal sends it: SIGINT to the whole foreground process group, in the
 * middle of ingestion. Only the runner may act on it: it stops the consumer first (flush, checkpoint), then
 * the emulators, and nothing it started is left running.
 */
class RecsysUpCtrlCIT {

    private static final Pattern CONSUMER = Pattern.compile("kcl-consumer local-worker-1 pid (\\d+): .* log (\\S+)");
    /** The consumer's graceful shutdown is bounded by its own setting (30 s); the emulators stop in seconds. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(60);

    @Test
    void ctrlCToTheWholeProcessGroupStopsEverythingInOrder(@TempDir Path work) throws Exception {
        assumeThat(OwnSession.available()).as("setsid puts the runner in a process group of its own").isTrue();
        Path out = work.resolve("runner.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // setsid: the runner leads a new process group, as a shell's foreground job does (stated here, not through
        // OwnSession, which is what is under test). perl first gives SIGINT its default action back: a build started
        // in the background of a non-interactive shell inherits SIGINT ignored, and a JVM that starts with SIGINT
        // ignored never sees it, where a terminal's foreground job always can.
        Process runner = new ProcessBuilder(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\"",
                "/usr/bin/setsid", java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "-Drecsys.repo.root=" + System.getProperty("recsys.repo.root"),
                RecsysCommand.class.getName(), "up", "--work-dir", work.resolve("up").toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            Matcher consumer = awaitLine(out, runner, CONSUMER, Duration.ofSeconds(180));
            // mid-ingestion: records are in flight between the KPL, the stream and the consumer's sinks
            awaitLine(out, runner, Pattern.compile("consumer: records in +[1-9]"), Duration.ofSeconds(120));
            assertThat(ignoresSigint(runner.pid())).as("the runner must start with SIGINT at its default action").isFalse();
            List<ProcessHandle> children = runner.toHandle().descendants().toList();
            assertThat(children).as("emulators and the consumer run as the runner's children").hasSizeGreaterThanOrEqualTo(3);

            long pgid = runner.pid();
            Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + pgid).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            long t0 = System.nanoTime();
            assertThat(runner.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS))
                    .as("the runner stopped within %s; it printed:%n%s", STOP_BOUND, read(out)).isTrue();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String printed = read(out);
            System.out.printf("Ctrl-C to stopped: %.1f s%n%s%n", seconds, printed);

            assertThat(runner.exitValue()).as("exit status after SIGINT").isEqualTo(130);
            assertThat(printed)
                    .contains("recsys up: interrupted (Ctrl-C)")
                    .contains("recsys up: stopped")
                    .doesNotContain("an emulator exited before the stack was closed")
                    .doesNotContain("killed");
            assertThat(printed.indexOf("recsys up: stopping")).isLessThan(printed.indexOf("recsys up: stopped"));
            String consumerLog = Files.readString(Path.of(consumer.group(2)), StandardCharsets.UTF_8);
            assertThat(consumerLog).as("the consumer was stopped by the runner, not by the signal")
                    .contains("graceful shutdown: flushing and checkpointing every shard")
                    .doesNotContain("graceful shutdown took longer")
                    .doesNotContain("graceful shutdown failed");
            for (ProcessHandle child : children) {
                assertThat(child.isAlive()).as("child %d %s outlived the runner", child.pid(), child.info().command().orElse("?"))
                        .isFalse();
            }
        } finally {
            runner.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            runner.destroyForcibly();
        }
    }

    /** Bit 2 of SigIgn in /proc/PID/status: whether the process ignores SIGINT. */
    private static boolean ignoresSigint(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("SigIgn:")) return (Long.parseLong(line.substring(7).trim(), 16) & 0x2) != 0;
        }
        throw new AssertionError("no SigIgn line for " + pid);
    }

    private static Matcher awaitLine(Path out, Process runner, Pattern pattern, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(read(out));
            if (m.find()) return m;
            assertThat(runner.isAlive()).as("runner exited early:%n%s", read(out)).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("no line matching " + pattern + " within " + timeout + ":\n" + read(out));
    }

    private static String read(Path out) throws IOException {
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }
}
