package dev.recsys.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, end to end on a small workload: ingest → train → serve → real-time update. */
class RecsysUpIT {

    @Test
    void theWholeSystemRunsOffline(@TempDir Path work) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        UpOptions options = UpOptions.parse(List.of("--events", "6000", "--rate", "3000", "--work-dir", work.toString(),
                "--exit-when-done"));
        int exit = new LocalSystem(options, out).run();
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertThat(exit).isZero();
        assertThat(printed)
                .contains("6,000 rows")
                .contains("0 dead-lettered")
                .contains("execution SUCCEEDED")
                .contains("recsys training run succeeded")
                .containsPattern("first request  HTTP 200 variant=\\w+ source=personalize cached=false")
                .containsPattern("same request   HTTP 200 .* cached=true")
                .containsPattern("stored in DynamoDB \\d+ ms after PutRecord")
                .containsPattern("invalidated user-000001's cache entry \\d+ ms after PutRecord")
                .contains("the event tracker already had the purchase when that happened")
                .containsPattern("after purchase HTTP 200 .* source=personalize cached=false")
                .contains("checked: answer not from the cache")
                // The freshness test: right after the redeploy, 20 purchases in a row, no miss.
                .containsPattern("freshness right after the redeploy: 20/20 purchases gave a fresh answer")
                .doesNotContain("FAILED")
                .contains("recsys up: stopped");
        // The purchase reached the engine through the consumer's PutEvents forwarding: the item is history now.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("purchases (item-\\d+)").matcher(printed);
        assertThat(m.find()).isTrue();
        String after = printed.substring(printed.indexOf("after purchase"));
        assertThat(after.substring(0, after.indexOf('\n'))).doesNotContain(m.group(1));
    }
}
