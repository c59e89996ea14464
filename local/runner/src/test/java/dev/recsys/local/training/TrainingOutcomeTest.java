package dev.recsys.local.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingOutcomeTest {

    private static final String OUTPUT = """
            {"evaluation": {"decisions": [
               {"solution": "a", "role": "ab-variant", "promote": true, "reason": "not below the popularity baseline"},
               {"solution": "b", "role": "ab-variant", "promote": false, "reason": "NDCG@10 0.1 is below the live 0.2"},
               {"solution": "similar", "role": "related-items", "promote": false,
                "reason": "NDCG@10 0.0476 is below the popularity baseline's 0.0794"},
               {"solution": "baseline", "role": "baseline", "promote": false, "reason": "never deployed"}]},
             "result": {"campaigns": {"a": "arn:campaign/recsys-a", "b": "arn:campaign/recsys-b"}}}
            """;

    @Test
    void refusedModelsWithoutACampaignAreTheOnlyOnesNamed() throws Exception {
        TrainingLoop.Outcome outcome = outcome("SUCCEEDED");
        // b was refused too, but the campaign of an earlier run still serves it; the baseline is never deployed
        assertThat(outcome.refusedWithoutCampaign())
                .containsExactly(java.util.Map.entry("similar", "NDCG@10 0.0476 is below the popularity baseline's 0.0794"));
        assertThat(outcome.campaignArns()).containsOnlyKeys("a", "b");
    }

    @Test
    void aFailedRunNamesNothing() throws Exception {
        assertThat(outcome("FAILED").refusedWithoutCampaign()).isEmpty();
    }

    private static TrainingLoop.Outcome outcome(String status) throws Exception {
        return new TrainingLoop.Outcome(new StateMachineRunner.Execution(status, new ObjectMapper().readTree(OUTPUT), null, null,
                List.of(), List.of()), List.of());
    }
}
