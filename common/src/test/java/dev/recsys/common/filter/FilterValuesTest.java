package dev.recsys.common.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterValuesTest {

    @Test
    void roundTripsPersonalizesQuotedCommaForm() {
        Map<String, String> personalize = FilterValues.format(Map.of("GENRES", List.of("sci-fi", "space opera"), "MAX", List.of("10")));
        assertThat(personalize).containsEntry("GENRES", "\"sci-fi\",\"space opera\"").containsEntry("MAX", "\"10\"");
        assertThat(FilterValues.parse(personalize)).isEqualTo(Map.of("GENRES", List.of("sci-fi", "space opera"), "MAX", List.of("10")));
        assertThat(FilterValues.parse(Map.of("MAX", "10", "C", " \"a, b\" , \"c\""))).isEqualTo(Map.of("MAX", List.of("10"), "C", List.of("a, b", "c")));
    }

    @Test
    void boundsAreChecked() {
        assertThatThrownBy(() -> FilterValues.format(Map.of("bad-key", List.of("a")))).hasMessageContaining("[A-Za-z0-9_]");
        assertThatThrownBy(() -> FilterValues.format(Map.of("K".repeat(51), List.of("a")))).hasMessageContaining("1-50");
        assertThatThrownBy(() -> FilterValues.format(Map.of("K", List.of()))).hasMessageContaining("no values");
        assertThatThrownBy(() -> FilterValues.format(Map.of("K", List.of("")))).hasMessageContaining("empty");
        assertThatThrownBy(() -> FilterValues.format(Map.of("K", List.of("say \"hi\"")))).hasMessageContaining("double quote");
        assertThatThrownBy(() -> FilterValues.format(Map.of("K", List.of("x".repeat(999))))).hasMessageContaining("at most 1000");
        assertThat(FilterValues.format(Map.of("K", List.of("x".repeat(998))))).containsKey("K");
        List<String> many = java.util.stream.IntStream.range(0, 101).mapToObj(i -> "v").toList();
        assertThatThrownBy(() -> FilterValues.format(Map.of("K", many))).hasMessageContaining("at most 100");
        Map<String, List<String>> wide = new HashMap<>();
        for (int i = 0; i < 26; i++) wide.put("K" + i, List.of("v"));
        assertThatThrownBy(() -> FilterValues.format(wide)).hasMessageContaining("at most 25");
        assertThatThrownBy(() -> FilterValues.parse(Map.of("K", "\"a"))).hasMessageContaining("not closed");
        assertThatThrownBy(() -> FilterValues.parse(Map.of("K", "\"a\" \"b\""))).hasMessageContaining("expected ','");
        assertThatThrownBy(() -> FilterValues.parse(Map.of("K", "\"a\",,\"b\""))).hasMessageContaining("empty");
        assertThatThrownBy(() -> FilterValues.parse(Map.of("K", "x".repeat(1001)))).hasMessageContaining("at most 1000");
    }
}
