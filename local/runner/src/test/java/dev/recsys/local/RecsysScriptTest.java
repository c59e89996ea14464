package dev.recsys.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code recsys} script answers usage questions before it builds anything (which takes minutes). */
class RecsysScriptTest {

    private static final Path SCRIPT = Path.of("../../recsys").toAbsolutePath().normalize();

    record Run(int status, String out, String err) {}

    private static Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("recsys", ".out");
        Path err = Files.createTempFile("recsys", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // Seconds would mean it started building: usage must come at once.
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("answered without building").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() throws Exception {
        for (String flag : List.of("--help", "-h")) {
            Run r = run("up", "--events", "10", flag);
            assertThat(r.status()).isZero();
            assertThat(r.out().strip()).isEqualTo(UpOptions.USAGE);
        }
    }

    @Test
    void anUnknownOptionPrintsTheUsageAndExitsTwo() throws Exception {
        for (String flag : List.of("--bogus", "--event")) { // --event is a prefix of --events, still unknown
            Run r = run("up", flag, "5");
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).startsWith("unknown option " + flag).contains(UpOptions.USAGE);
        }
    }

    @Test
    void noCommandPrintsTheCommandsAndExitsTwo() throws Exception {
        Run r = run();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).contains("./recsys up").contains("./recsys test").doesNotContain("set -e");
    }
}
