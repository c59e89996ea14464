package dev.recsys.local.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.local.training.StateMachineRunner.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    private static final String DEFINITION = """
            {"StartAt":"PrepareData","States":{
              "PrepareData":{"Type":"Task","Comment":"Glue job: raw window to CSV. More detail.","Next":"StartImport"},
              "StartImport":{"Type":"Task","Next":"WaitForImport"},
              "WaitForImport":{"Type":"Wait","Seconds":60,"Next":"DescribeImport"},
              "DescribeImport":{"Type":"Task","Next":"ImportDone"},
              "ImportDone":{"Type":"Choice","Choices":[],"Default":"WaitForImport"},
              "TrainSolutions":{"Type":"Map","Comment":"One version per solution","ItemProcessor":{"StartAt":"Train",
                "States":{"Train":{"Type":"Task","End":true}}},"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TrainingProgress progress = new TrainingProgress(DEFINITION, new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);

    private void at(long secondsIn, String type, String state, Integer index) {
        now.set(1_000_000 + secondsIn * 1000);
        progress.accept(new Progress(type, state, index));
    }

    @Test
    void eachStateAsItStartsAndAWaitLoopOnceThenEveryFifteenSeconds() {
        at(0, "StateEntered", "PrepareData", null);
        at(40, "StateEntered", "StartImport", null);
        for (int s = 41; s <= 75; s += 2) { // 18 rounds of the wait loop
            at(s, "StateEntered", "WaitForImport", null);
            at(s, "StateEntered", "DescribeImport", null);
            at(s, "StateEntered", "ImportDone", null);
        }
        at(76, "StateEntered", "TrainSolutions", null);
        at(76, "MapIterationStarted", "TrainSolutions", 0);
        at(76, "MapIterationStarted", "TrainSolutions", 1);
        at(77, "StateEntered", "Train", 0); // inside the Map: said when the iteration ends
        at(90, "MapIterationSucceeded", "TrainSolutions", 1);
        at(95, "MapIterationFailed", "TrainSolutions", 0);

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "  [   0 s] PrepareData: Glue job: raw window to CSV",
                "  [  40 s] StartImport",
                "  [  41 s] WaitForImport: waiting for DescribeImport",
                "  [  57 s]   still waiting for DescribeImport (check 9)",
                "  [  73 s]   still waiting for DescribeImport (check 17)",
                "  [  76 s] TrainSolutions: One version per solution",
                "  [  90 s]   TrainSolutions: iteration 1 done (1 of 2 done)",
                "  [  95 s]   TrainSolutions: iteration 0 FAILED (2 of 2 done)");
    }

    @Test
    void readsTheDeployedDefinition() throws Exception {
        String deployed = Files.readString(Path.of("../../training-lambda/src/main/resources/statemachine/training-pipeline.asl.json"));
        TrainingProgress p = new TrainingProgress(deployed, new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        p.accept(new Progress("StateEntered", "PrepareData", null));
        p.accept(new Progress("StateEntered", "WaitForImport", null));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("PrepareData: Glue 5.0 Spark job").contains("WaitForImport: waiting for DescribeImport");
    }
}
