package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityGateTest {

    private final QualityGate gate = new QualityGate(0.05);

    @Test
    void promotesWithoutLiveVersionAndWithinTolerance() {
        assertThat(gate.decide(new QualityGate.Metrics(0.1, 0.1), null).promote()).isTrue();
        assertThat(gate.decide(new QualityGate.Metrics(0.191, 0.096), new QualityGate.Metrics(0.2, 0.1)).promote()).isTrue();
        assertThat(gate.decide(new QualityGate.Metrics(0.5, 0.5), new QualityGate.Metrics(0.2, 0.1)).promote()).isTrue();
    }

    @Test
    void refusesWhenEitherMetricDropsBeyondToleranceAndSaysWhich() {
        QualityGate.Decision ndcg = gate.decide(new QualityGate.Metrics(0.18, 0.2), new QualityGate.Metrics(0.2, 0.1));
        assertThat(ndcg.promote()).isFalse();
        assertThat(ndcg.reason()).contains("NDCG@10 0.1800").doesNotContain("precision");
        QualityGate.Decision both = gate.decide(new QualityGate.Metrics(0.1, 0.05), new QualityGate.Metrics(0.2, 0.1));
        assertThat(both.reason()).contains("NDCG@10").contains("precision@10 0.0500 is below the live 0.1000 minus 5.0% (0.0950)");
    }

    @Test
    void missingMetricsAreNeverPromoted() {
        assertThat(QualityGate.Metrics.from(Map.of(QualityGate.NDCG_AT_10, 0.3))).isNull();
        assertThat(gate.decide(null, null).promote()).isFalse();
        assertThatThrownBy(() -> new QualityGate(1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
