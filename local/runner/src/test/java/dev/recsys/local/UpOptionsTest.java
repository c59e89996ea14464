package dev.recsys.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpOptionsTest {

    @Test
    void defaultsAndOverrides() {
        UpOptions d = UpOptions.parse(List.of());
        assertThat(d.events()).isEqualTo(30_000);
        assertThat(d.shards()).isEqualTo(4);
        assertThat(d.exitWhenDone()).isFalse();
        UpOptions o = UpOptions.parse(List.of("--events", "10", "--shards", "2", "--exit-when-done"));
        assertThat(o.events()).isEqualTo(10);
        assertThat(o.shards()).isEqualTo(2);
        assertThat(o.exitWhenDone()).isTrue();
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> UpOptions.parse(List.of("--events", "-5"))).hasMessageContaining("--events must be a positive integer");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--events"))).hasMessageContaining("--events needs a value");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--bogus"))).hasMessageContaining("unknown option --bogus");
    }

    @Test
    void helpIsAskedAnywhereAndTheUsageNamesEveryOption() {
        assertThat(UpOptions.wantsHelp(List.of("--events", "10", "--help"))).isTrue();
        assertThat(UpOptions.wantsHelp(List.of("-h"))).isTrue();
        assertThat(UpOptions.wantsHelp(List.of("--events", "10"))).isFalse();
        // The script checks options against this line before building: every option parse() takes is on it.
        String first = UpOptions.USAGE.lines().findFirst().orElseThrow();
        for (String flag : List.of("--events", "--rate", "--shards", "--seed", "--work-dir", "--exit-when-done", "--help")) {
            assertThat(first).contains("[" + flag);
        }
    }

    @Test
    void waitLoopsAreCollapsed() {
        assertThat(LocalSystem.compact(List.of("A", "Wait", "B", "Wait", "B", "C"))).isEqualTo("A > Wait x2 > B x2 > C");
    }
}
