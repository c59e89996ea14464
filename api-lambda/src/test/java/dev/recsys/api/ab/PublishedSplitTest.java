package dev.recsys.api.ab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.experiment.ExperimentSplit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The split the pipeline publishes (config/experiment.json) replaces the deployed one; a broken one never does. */
class PublishedSplitTest {

    @Test
    void aPromotedSplitMovesOnlyTheShiftedBucketsAndStartsANewPhase() {
        List<Exposure> exposures = new CopyOnWriteArrayList<>();
        byte[] promoted = new ExperimentSplit("recs-ab-1", "recs-ab-1-p2", List.of(
                new ExperimentSplit.Arm("a", TestApi.CAMPAIGN_A, 75), new ExperimentSplit.Arm("b", TestApi.CAMPAIGN_B, 25)),
                "2026-12-01T00:00:00Z", "a won").toJson();
        VariantAssigner before = new VariantAssigner("recs-ab-1", List.of(new Variant("a", TestApi.CAMPAIGN_A, 50),
                new Variant("b", TestApi.CAMPAIGN_B, 50)));
        try (TestApi api = new TestApi(Map.of(), a -> a.withSplit(() -> promoted).withExposures(exposures::add))) {
            int movedToA = 0, a = 0;
            for (int u = 0; u < 400; u++) {
                String user = "user-" + u;
                String now = TestApi.body(api.invoke(Events.get("/users/" + user + "/recommendations"))).get("variant").asText();
                if (now.equals("a")) a++;
                if (before.assign(user).name().equals("a")) {
                    assertThat(now).as("same salt: a user of a stays in a").isEqualTo("a");
                } else if (now.equals("a")) {
                    movedToA++;
                }
            }
            assertThat(a).isBetween(260, 340);
            assertThat(movedToA).isPositive();
            assertThat(exposures).allSatisfy(x -> assertThat(x.experiment()).isEqualTo("recs-ab-1-p2"));
        }
    }

    @Test
    void anInvalidPublishedSplitKeepsTheDeployedOne() {
        byte[] broken = "{\"salt\":\"recs-ab-1\",\"experiment\":\"p9\",\"variants\":[{\"name\":\"a\",\"campaign_arn\":\"x\",\"weight\":60}]}"
                .getBytes(StandardCharsets.UTF_8);
        try (TestApi api = new TestApi(Map.of(), a -> a.withSplit(() -> broken))) {
            assertThat(TestApi.body(api.invoke(Events.get("/health"))).get("experiment").asText()).isEqualTo("recs-ab-1");
            assertThat(api.lines).anyMatch(l -> l.contains("experiment split refresh failed"));
        }
    }
}
