package dev.recsys.personalize.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ranked = [x, a, y, b, z], relevant = {a, b, c}: hits at ranks 2 and 4, worked out by hand. */
class RankingMetricsTest {

    static final List<String> RANKED = List.of("x", "a", "y", "b", "z");
    static final Set<String> RELEVANT = Set.of("a", "b", "c");

    @Test
    void precision() {
        assertThat(RankingMetrics.precisionAt(RANKED, RELEVANT, 5)).isEqualTo(0.4);
        assertThat(RankingMetrics.precisionAt(RANKED, RELEVANT, 2)).isEqualTo(0.5);
        // Fewer answers than K still divide by K.
        assertThat(RankingMetrics.precisionAt(RANKED, RELEVANT, 10)).isEqualTo(0.2);
    }

    @Test
    void ndcg() {
        double dcg = 1 / log2(3) + 1 / log2(5);
        double ideal = 1 + 1 / log2(3) + 1 / log2(4);
        assertThat(RankingMetrics.ndcgAt(RANKED, RELEVANT, 5)).isCloseTo(dcg / ideal, within(1e-12));
        assertThat(RankingMetrics.ndcgAt(RANKED, RELEVANT, 5)).isCloseTo(0.49819, within(1e-5));
        // At K=2 the ideal DCG counts only two relevant items.
        assertThat(RankingMetrics.ndcgAt(RANKED, RELEVANT, 2)).isCloseTo((1 / log2(3)) / (1 + 1 / log2(3)), within(1e-12));
        assertThat(RankingMetrics.ndcgAt(List.of("a", "b", "c"), RELEVANT, 3)).isCloseTo(1.0, within(1e-12));
        assertThat(RankingMetrics.ndcgAt(RANKED, Set.of(), 5)).isZero();
    }

    @Test
    void reciprocalRank() {
        assertThat(RankingMetrics.reciprocalRankAt(RANKED, RELEVANT, 25)).isEqualTo(0.5);
        assertThat(RankingMetrics.reciprocalRankAt(RANKED, RELEVANT, 1)).isZero();
        assertThat(RankingMetrics.reciprocalRankAt(RANKED, Set.of("z"), 25)).isEqualTo(0.2);
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
