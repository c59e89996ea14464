package dev.recsys.gatling.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The same-run verdict: recommendations' p99 against factor × the yardstick's p99 + margin. */
class YardstickTest {

    @Test
    void nearestRankPercentiles() {
        List<Integer> hundred = java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList();
        assertThat(Yardstick.percentile(hundred, 99)).isEqualTo(99);
        assertThat(Yardstick.percentile(hundred, 50)).isEqualTo(50);
        assertThat(Yardstick.percentile(List.of(7), 99)).isEqualTo(7);
        assertThat(Yardstick.percentile(List.of(), 99)).isZero();
    }

    @Test
    void theLimitIsFactorTimesTheYardsticksP99PlusTheMargin() {
        Yardstick times = new Yardstick();
        for (int i = 1; i <= 100; i++) times.add(Yardstick.YARDSTICK, i <= 99 ? 2 : 50); // p99 2 ms, one outlier
        for (int i = 1; i <= 100; i++) times.add(Yardstick.RECOMMENDATIONS, i <= 99 ? 18 : 400);

        Yardstick.Verdict verdict = times.verdict(4, 10, 100);
        assertThat(verdict.yardstick().p99()).isEqualTo(2);
        assertThat(verdict.recommendations().p99()).isEqualTo(18);
        assertThat(verdict.limitMs()).isEqualTo(18.0);
        assertThat(verdict.passed()).isTrue(); // at the limit passes
        assertThat(times.verdict(4, 9, 100).passed()).isFalse(); // 1 ms over fails
        assertThat(times.verdict(4, 9, 100).describe()).contains("FAIL").contains("p99 18 ms > limit 17.0 ms");
        assertThat(verdict.toJson()).contains("\"benchmark\":\"gatling-recommendation-api\"").contains("\"limit_ms\":18.0")
                .contains("\"passed\":true").contains("\"p99_ms\":18").contains("\"p99_ms\":2");
        assertThat(times.verdict(4, 9, 100).toJson()).contains("\"passed\":false");
    }

    @Test
    void aYardstickThatQueuedMakesTheRunUnmeasurable() {
        Yardstick times = new Yardstick();
        for (int i = 0; i < 100; i++) times.add(Yardstick.YARDSTICK, 3_000); // saturated: everything waits
        for (int i = 0; i < 100; i++) times.add(Yardstick.RECOMMENDATIONS, 3_100);

        assertThat(times.verdict(4, 10, 100).passed()).isFalse(); // 3,100 <= 4 x 3,000 + 10, but nothing was measured
        assertThat(times.verdict(4, 10, 100).reason()).contains("cannot carry this rate");
        assertThat(times.verdict(4, 10, 3_000).passed()).isTrue();
    }

    @Test
    void aPhaseThatMeasuredNothingFails() {
        Yardstick times = new Yardstick();
        times.add(Yardstick.RECOMMENDATIONS, 1);
        assertThat(times.verdict(100, 100, 100).passed()).isFalse();
        Yardstick none = new Yardstick();
        none.add(Yardstick.YARDSTICK, 1);
        assertThat(none.verdict(100, 100, 100).passed()).isFalse();
    }
}
