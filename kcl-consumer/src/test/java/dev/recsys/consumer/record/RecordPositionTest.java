package dev.recsys.consumer.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordPositionTest {

    @Test
    void sortableStringOrderEqualsStreamOrder() {
        RecordPosition[] ordered = {
                new RecordPosition("9", 0), new RecordPosition("10", 0), new RecordPosition("10", 1),
                new RecordPosition("10", 12), new RecordPosition("340282366920938463463374607431768211455", 0)};
        for (int i = 1; i < ordered.length; i++) {
            assertThat(ordered[i - 1]).isLessThan(ordered[i]);
            assertThat(ordered[i - 1].sortable()).isLessThan(ordered[i].sortable());
        }
    }

    @Test
    void rejectsNonNumericSequences() {
        assertThatThrownBy(() -> new RecordPosition("12a", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordPosition("1", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
