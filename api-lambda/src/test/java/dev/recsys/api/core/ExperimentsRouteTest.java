package dev.recsys.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.http.ProxyResponse;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.ArmTotals;
import dev.recsys.common.experiment.DecisionConfig;
import dev.recsys.common.experiment.ResultsCalculator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /experiments over stored results, and its typed errors. */
class ExperimentsRouteTest {

    static List<ArmResult> results() {
        ArmTotals a = ArmTotals.EMPTY, b = ArmTotals.EMPTY;
        for (int u = 0; u < 400; u++) {
            a = a.plusUser(5, u % 2, u % 10 == 0 ? 1 : 0);
            b = b.plusUser(5, u % 5 == 0 ? 1 : 0, 0);
        }
        Map<ResultsCalculator.Arm, ArmTotals> totals = new HashMap<>();
        totals.put(new ResultsCalculator.Arm("recs-ab-1", Exposure.USER_RECOMMENDATIONS, "a"), a);
        totals.put(new ResultsCalculator.Arm("recs-ab-1", Exposure.USER_RECOMMENDATIONS, "b"), b);
        totals.put(new ResultsCalculator.Arm("recs-ab-1", Exposure.SIMILAR_ITEMS, "similar"), b);
        return new ResultsCalculator(new DecisionConfig(0.05, 0.01, 0.002, 100, 100), "b").look(totals, Map.of(), 1_780_000_000_000L);
    }

    static ExperimentResults stored(List<ArmResult> rows) {
        return new ExperimentResults() {
            @Override
            public List<ArmResult> all() {
                return rows;
            }

            @Override
            public List<ArmResult> of(String experiment) {
                return rows.stream().filter(r -> r.experiment().equals(experiment)).toList();
            }
        };
    }

    @Test
    void resultsAreGroupedByExperimentAndRouteWithTheControlNamed() {
        try (TestApi api = new TestApi(Map.of(), a -> a.withExperiments(stored(results())))) {
            ProxyResponse r = api.invoke(Events.get("/experiments"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode e = TestApi.body(r).get("experiments").get(0);
            assertThat(e.get("experiment").asText()).isEqualTo("recs-ab-1");
            assertThat(e.get("computed_at").asText()).isEqualTo("2026-05-28T20:26:40Z");
            JsonNode users = e.get("routes").get(1);
            assertThat(users.get("route").asText()).isEqualTo(Exposure.USER_RECOMMENDATIONS);
            assertThat(users.get("control").asText()).isEqualTo("b");
            JsonNode armA = users.get("arms").get(0);
            assertThat(armA.get("variant").asText()).isEqualTo("a");
            assertThat(armA.get("totals").get("users").asLong()).isEqualTo(400);
            assertThat(armA.get("ctr").get("estimate").asDouble()).isEqualTo(0.1);
            assertThat(armA.get("ctr_vs_control").get("winner").asText()).isEqualTo("TREATMENT");
            assertThat(armA.get("ctr_vs_control").get("comparison").get("running_p_value").asDouble()).isLessThan(0.05);
            assertThat(e.get("routes").get(0).get("arms")).hasSize(1);

            JsonNode one = TestApi.body(api.invoke(Events.get("/experiments").query("experiment", "recs-ab-1")));
            assertThat(one.get("experiments")).hasSize(1);
        }
    }

    @Test
    void badRequestsGetTypedErrors() {
        try (TestApi api = new TestApi(Map.of(), a -> a.withExperiments(stored(results())))) {
            assertThat(code(api.invoke(Events.get("/experiments").query("experiment", "nope")))).isEqualTo("404 unknown_experiment");
            assertThat(code(api.invoke(Events.get("/experiments").query("experiment", "bad id")))).isEqualTo("400 invalid_experiment");
            assertThat(code(api.invoke(Events.post("/experiments", "{}")))).startsWith("405");
        }
        try (TestApi unconfigured = new TestApi(Map.of())) {
            assertThat(code(unconfigured.invoke(Events.get("/experiments")))).isEqualTo("404 not_found");
        }
    }

    private static String code(ProxyResponse r) {
        return r.statusCode() + " " + TestApi.body(r).get("error").get("code").asText();
    }
}
