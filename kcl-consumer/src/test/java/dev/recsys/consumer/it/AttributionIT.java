package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.keys.ExperimentKeys;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.local.stack.process.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exposures and the interactions they lead to, through the real consumer: a click carrying its
 * recommendation_id and a purchase carrying none (the window rule) are each counted once for the arm
 * that showed the item — also when the worker is SIGKILLed after it wrote the counts but before it
 * could checkpoint (S3 unreachable), and a new worker replays the whole stream.
 */
@WithLocalStack
class AttributionIT {

    static final int USERS = 40;
    static final String EXPERIMENT = "recs-ab-it";
    static final String CAMPAIGN = "arn:aws:personalize:us-east-1:000000000000:campaign/recsys-";

    @Test
    void eachClickAndConversionCountsOnceForTheArmThatShowedIt(LocalStack stack, @TempDir Path dir) throws Exception {
        int deadPort = Ports.freePort();
        ConsumerSetup crashing = new ConsumerSetup("attr", stack.endpoints()).s3Endpoint("http://127.0.0.1:" + deadPort);
        ConsumerSetup healthy = new ConsumerSetup("attr", stack.endpoints());
        TestStores.create(stack, healthy);
        stack.createStream(crashing.stream, 4);

        long t = System.currentTimeMillis() - 600_000;
        Map<String, List<Long>> expectedA = new TreeMap<>(), expectedB = new TreeMap<>();
        for (int u = 0; u < USERS; u++) {
            String user = "user-" + u;
            String variant = u % 2 == 0 ? "a" : "b";
            List<byte[]> records = new ArrayList<>();
            Exposure shown = new Exposure("rec-" + u, t, Exposure.USER_RECOMMENDATIONS, EXPERIMENT, variant, CAMPAIGN + variant,
                    "run-1", "RID-" + u, "personalize", null, user, null, List.of("item-1", "item-2", "item-3"), false);
            records.add(EventJson.toBytes(shown));
            records.add(EventJson.toBytes(shown)); // the API's retry of the same answer: not a second exposure
            // explicit: the click names its answer
            records.add(EventJson.toBytes(new InteractionEvent("c-" + u, user, "item-2", "click", null, t + 1_000, null,
                    Map.of(), "rec-" + u)));
            // the window rule: a purchase without recommendation_id, 10 minutes later
            records.add(EventJson.toBytes(InteractionEvent.of("p-" + u, user, "item-3", "purchase", t + 600_000)));
            // not counted: a view, and a click on something the answer did not show
            records.add(EventJson.toBytes(InteractionEvent.of("v-" + u, user, "item-1", "view", t + 2_000)));
            records.add(EventJson.toBytes(InteractionEvent.of("x-" + u, user, "item-99", "click", t + 3_000)));
            TestTraffic.sendRaw(stack, crashing.stream, user, records);
            (variant.equals("a") ? expectedA : expectedB).put(user, List.of(1L, 1L, 1L));
        }
        String armA = ExperimentKeys.userArm(EXPERIMENT, Exposure.USER_RECOMMENDATIONS, "a");
        String armB = ExperimentKeys.userArm(EXPERIMENT, Exposure.USER_RECOMMENDATIONS, "b");
        Map<String, Map<String, List<Long>>> expected = Map.of(armA, expectedA, armB, expectedB);
        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), healthy);

        try (ChildConsumer first = ChildConsumer.start(crashing.writeConfig(dir, "first"), dir, "first")) {
            Await.until("every count written by the first worker", Duration.ofMinutes(2),
                    () -> inspect.experimentCounts().equals(expected),
                    () -> inspect.experimentCounts() + "; log:\n" + first.logTail());
            assertThat(inspect.leases()).hasSize(4).allSatisfy(l -> assertThat(l.checkpoint()).isEqualTo("TRIM_HORIZON"));
            assertThat(inspect.exposures()).hasSize(USERS);
            assertThat(inspect.latestExposures()).hasSize(USERS);
            first.kill9();
        }

        try (ChildConsumer second = ChildConsumer.start(healthy.writeConfig(dir, "second"), dir, "second")) {
            Await.until("the second worker to replay and checkpoint everything", Duration.ofMinutes(2),
                    () -> TestTraffic.fullyCheckpointed(stack, healthy, inspect),
                    () -> "leases " + inspect.leases() + "; log:\n" + second.logTail());
            assertThat(inspect.experimentCounts()).as("the replay counted nothing twice").isEqualTo(expected);
            assertThat(inspect.exposures()).hasSize(USERS);
            Map<String, Long> latest = inspect.latestExposures();
            assertThat(latest).as("one summary row per user, at their exposure's time").hasSize(USERS);
            inspect.exposures().forEach(e -> assertThat(latest.get(e.get(ExperimentKeys.USER_ID).s()))
                    .isEqualTo(Long.parseLong(e.get(ExperimentKeys.EXPOSED_AT).n())));

            // The results job (this worker holds the first lease) sums the rows into per-arm results.
            ObjectMapper json = new ObjectMapper();
            Await.until("results computed", Duration.ofSeconds(30), () -> inspect.experimentResults().size() == 2,
                    () -> inspect.experimentResults().toString());
            ArmResult a = json.readValue(inspect.experimentResults().get(ExperimentKeys.resultArm(Exposure.USER_RECOMMENDATIONS, "a")),
                    ArmResult.class);
            ArmResult b = json.readValue(inspect.experimentResults().get(ExperimentKeys.resultArm(Exposure.USER_RECOMMENDATIONS, "b")),
                    ArmResult.class);
            assertThat(List.of(a.totals().users(), a.totals().exposures(), a.totals().clicks(), a.totals().conversions()))
                    .containsExactly(20L, 20L, 20L, 20L);
            assertThat(List.of(b.totals().users(), b.totals().exposures(), b.totals().clicks(), b.totals().conversions()))
                    .containsExactly(20L, 20L, 20L, 20L);
            assertThat(a.control()).as("first by name when no control is configured").isTrue();
            assertThat(b.ctrVerdict()).isNotNull();
            assertThat(second.terminate(60)).isIn(0, 143);
        }
    }
}
