package dev.recsys.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, end to end with its default workload: ingest → train every solution → every
 * route served by a model → fresh answers after purchases, right after the consumer's redeploy → the
 * closed-loop A/B test won by personalization with significance, and an A/A with no winner.
 */
class RecsysUpIT {

    @Test
    void theWholeSystemRunsOffline(@TempDir Path work) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        // The default 30,000 events. With 5,000 (4 per user) SIMS rightly loses to popularity in the gate, and the
        // similar-items route answers from popular items, saying why (RoutesCheckTest); 12,000 already pass.
        UpOptions options = UpOptions.parse(List.of("--work-dir", work.toString(), "--exit-when-done"));
        int exit = new LocalSystem(options, out).run();
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertThat(exit).isZero();
        assertThat(printed)
                .contains("30,000 rows")
                .contains("0 dead-lettered")
                // the training run shows each state as it starts, not only at the end
                .containsPattern("\\[ +\\d+ s\\] PrepareData: Glue")
                .containsPattern("\\[ +\\d+ s\\] WaitForImport: waiting for DescribeImport")
                .containsPattern("\\[ +\\d+ s\\]   TrainSolutions: iteration \\d+ done")
                .contains("execution SUCCEEDED")
                .contains("recsys training run succeeded")
                .contains("checked: all five routes answered from models")
                .containsPattern("GET  /trending +source=personalize campaign=recsys-trending")
                .containsPattern("Catalog: 500 items \\(\\d+ categories, \\d+ unavailable\\) and 2,000 users \\(segment, membership, age\\)"
                        + " as records through the KPL; items table items holds 500 rows, users table users 2,000")
                .contains("checked: the engine's filters keep exactly what the catalog says, with metadata")
                .contains("checked: IF CurrentUser applies the clause to the free plan only (the Users dataset)")
                .contains("checked: the promotion takes its share of slots, named in the answer, from its filter's items")
                .containsPattern("GET  /items/\\{itemId}/similar +source=personalize campaign=recsys-similar")
                .containsPattern("POST /rankings +source=personalize campaign=recsys-ranking")
                .containsPattern("first request  HTTP 200 variant=\\w+ source=personalize cached=false")
                .containsPattern("same request   HTTP 200 .* cached=true")
                .containsPattern("stored in DynamoDB \\d+ ms after PutRecord")
                .containsPattern("invalidated user-000001's cache entry \\d+ ms after PutRecord")
                .contains("the event tracker already had the purchase when that happened")
                .containsPattern("after purchase HTTP 200 .* source=personalize cached=false")
                .contains("checked: answer not from the cache")
                .contains("Checked just now: the token on its own user → 200, on another user → 403, no token → 401")
                // The freshness test: right after the redeploy, 20 purchases in a row, no miss.
                .containsPattern("freshness right after the redeploy: 20/20 purchases gave a fresh answer")
                .contains("checked: personalization (a) beats popularity (b) with significance, as the clusters predict")
                .contains("checked: no winner between identical variants")
                .containsPattern("config/experiment.json: salt sim-ab, phase sim-ab-p2, weights \\{a=75, b=25} -> as decided")
                .contains("the API now serves phase sim-ab-p2")
                .containsPattern(", 0 moved any other way")
                .contains("a second decision changed nothing")
                .contains("checked: a promoted to 75% of users, only the shifted buckets' users moved, and deciding again changed nothing")
                .contains("the consumer counted exactly what the simulation did")
                .doesNotContain("FAILED")
                .contains("recsys up: stopped");
        // The purchase reached the engine through the consumer's PutEvents forwarding: the item is history now.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("purchases (item-\\d+)").matcher(printed);
        assertThat(m.find()).isTrue();
        String after = printed.substring(printed.indexOf("after purchase"));
        assertThat(after.substring(0, after.indexOf('\n'))).doesNotContain(m.group(1));
    }
}
