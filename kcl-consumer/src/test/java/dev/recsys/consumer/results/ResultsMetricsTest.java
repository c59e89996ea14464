package dev.recsys.consumer.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.ArmTotals;
import dev.recsys.common.experiment.DecisionConfig;
import dev.recsys.common.experiment.ResultsCalculator;
import dev.recsys.local.stack.metrics.EmfStandIn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;

/**
 * The documents the results job emits per arm, built and serialised by aws-embedded-metrics: exactly the contract's
 * metric and dimension names (metrics.experiment_results), in its namespace, which Terraform's dashboard charts.
 */
class ResultsMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Contract.ExperimentResults NAMES = Contract.get().metrics().experimentResults();

    @Test
    void aTreatmentArmEmitsEveryContractMetricUnderTheContractsDimensions() throws Exception {
        List<String> lines = new ArrayList<>();
        ResultsMetrics metrics = new ResultsMetrics(() -> new MetricsLogger(EmfStandIn.environment(lines::add)));
        ArmResult treatment = results().stream().filter(r -> r.variant().equals("a")).findFirst().orElseThrow();

        metrics.emit(treatment);

        assertThat(lines).hasSize(1);
        JsonNode doc = JSON.readTree(lines.get(0));
        JsonNode directive = doc.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo(Contract.get().metrics().experimentsNamespace());
        assertThat(directive.get("Dimensions").toString()).isEqualTo(JSON.writeValueAsString(List.of(List.of(
                NAMES.dimensions().experiment(), NAMES.dimensions().route(), NAMES.dimensions().variant()))));
        assertThat(doc.get(NAMES.dimensions().experiment()).asText()).isEqualTo("recs-ab-7");
        assertThat(doc.get(NAMES.dimensions().route()).asText()).isEqualTo(Exposure.USER_RECOMMENDATIONS);
        assertThat(doc.get(NAMES.dimensions().variant()).asText()).isEqualTo("a");

        Map<String, String> units = new HashMap<>();
        directive.get("Metrics").forEach(m -> units.put(m.get("Name").asText(), m.get("Unit").asText()));
        assertThat(new TreeSet<>(units.keySet())).isEqualTo(contractMetrics());
        assertThat(units.get(NAMES.counts().users())).isEqualTo("Count");
        assertThat(units.get(NAMES.ratios().ctr())).isEqualTo("None");
        assertThat(doc.get(NAMES.counts().users()).asLong()).isEqualTo(treatment.totals().users());
    }

    private static Set<String> contractMetrics() {
        return new TreeSet<>(List.of(NAMES.counts().users(), NAMES.counts().exposures(), NAMES.counts().clicks(),
                NAMES.counts().conversions(), NAMES.ratios().ctr(), NAMES.ratios().conversionRate(), NAMES.ratios().ctrPValue(),
                NAMES.ratios().ctrLift(), NAMES.ratios().winner()));
    }

    /** A control (b) and a treatment (a) with enough users for a verdict, so the comparison metrics are emitted too. */
    private static List<ArmResult> results() {
        Map<ResultsCalculator.Arm, ArmTotals> totals = new HashMap<>();
        for (String variant : List.of("a", "b")) {
            ArmTotals arm = ArmTotals.EMPTY;
            for (int user = 0; user < 400; user++) {
                long clicks = variant.equals("a") ? user % 2 : (user % 5 == 0 ? 1 : 0);
                arm = arm.plusUser(5, clicks, 0);
            }
            totals.put(new ResultsCalculator.Arm("recs-ab-7", Exposure.USER_RECOMMENDATIONS, variant), arm);
        }
        return new ResultsCalculator(new DecisionConfig(0.05, 0.01, 0.002, 100, 100), "b").look(totals, Map.of(), 1_780_000_000_000L);
    }
}
