package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityGateTest {

    private static final QualityGate.Metrics POPULARITY = new QualityGate.Metrics(0.05, 0.02);

    private final QualityGate gate = new QualityGate(0.05);

    @Test
    void promotesWithoutLiveVersionAndWithinTolerance() {
        assertThat(gate.decide(new QualityGate.Metrics(0.1, 0.1), null, POPULARITY).promote()).isTrue();
        assertThat(gate.decide(new QualityGate.Metrics(0.191, 0.096), new QualityGate.Metrics(0.2, 0.1), POPULARITY).promote()).isTrue();
        assertThat(gate.decide(new QualityGate.Metrics(0.5, 0.5), new QualityGate.Metrics(0.2, 0.1), POPULARITY).promote()).isTrue();
        assertThat(gate.decide(new QualityGate.Metrics(0.1, 0.1), null, POPULARITY).reason())
                .isEqualTo("no live version to compare with, not below the popularity baseline");
    }

    @Test
    void refusesWhenEitherMetricDropsBeyondToleranceAndSaysWhich() {
        QualityGate.Decision ndcg = gate.decide(new QualityGate.Metrics(0.18, 0.2), new QualityGate.Metrics(0.2, 0.1), POPULARITY);
        assertThat(ndcg.promote()).isFalse();
        assertThat(ndcg.reason()).contains("NDCG@10 0.1800").doesNotContain("precision");
        QualityGate.Decision both = gate.decide(new QualityGate.Metrics(0.1, 0.05), new QualityGate.Metrics(0.2, 0.1), POPULARITY);
        assertThat(both.reason()).contains("NDCG@10").contains("precision@10 0.0500 is below the live 0.1000 minus 5.0% (0.0950)");
    }

    @Test
    void neverBelowThePopularityBaselineEvenWithoutLiveVersion() {
        QualityGate.Decision ndcg = gate.decide(new QualityGate.Metrics(0.0499, 0.03), null, POPULARITY);
        assertThat(ndcg.promote()).isFalse();
        assertThat(ndcg.reason()).isEqualTo("NDCG@10 0.0499 is below the popularity baseline's 0.0500");

        QualityGate.Decision precision = gate.decide(new QualityGate.Metrics(0.2, 0.019), null, POPULARITY);
        assertThat(precision.promote()).isFalse();
        assertThat(precision.reason()).isEqualTo("precision@10 0.0190 is below the popularity baseline's 0.0200");

        QualityGate.Decision both = gate.decide(new QualityGate.Metrics(0.01, 0.01), null, POPULARITY);
        assertThat(both.reason()).contains("NDCG@10 0.0100 is below the popularity baseline's 0.0500",
                "precision@10 0.0100 is below the popularity baseline's 0.0200");

        // Equal to popularity is not worse (the popularity variant itself passes against its own metrics).
        assertThat(gate.decide(POPULARITY, null, POPULARITY).promote()).isTrue();
    }

    @Test
    void theBaselineHasNoToleranceAndBothRulesReport() {
        // Within the live tolerance but below popularity: refused for the baseline alone.
        QualityGate.Decision d = gate.decide(new QualityGate.Metrics(0.048, 0.02), new QualityGate.Metrics(0.049, 0.02), POPULARITY);
        assertThat(d.promote()).isFalse();
        assertThat(d.reason()).isEqualTo("NDCG@10 0.0480 is below the popularity baseline's 0.0500");

        QualityGate.Decision twice = gate.decide(new QualityGate.Metrics(0.04, 0.02), new QualityGate.Metrics(0.2, 0.02), POPULARITY);
        assertThat(twice.reason()).isEqualTo("NDCG@10 0.0400 is below the popularity baseline's 0.0500; "
                + "NDCG@10 0.0400 is below the live 0.2000 minus 5.0% (0.1900)");
    }

    @Test
    void missingMetricsAreNeverPromoted() {
        assertThat(QualityGate.Metrics.from(Map.of(QualityGate.NDCG_AT_10, 0.3))).isNull();
        assertThat(gate.decide(null, null, POPULARITY).promote()).isFalse();
        QualityGate.Decision noBaseline = gate.decide(new QualityGate.Metrics(0.3, 0.1), null, null);
        assertThat(noBaseline.promote()).isFalse();
        assertThat(noBaseline.reason()).contains("popularity baseline has no NDCG@10/precision@10 metrics");
        assertThatThrownBy(() -> new QualityGate(1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
