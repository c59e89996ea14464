package dev.recsys.common.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InteractionsDatasetTest {

    @Test
    void schemaDeclaresExactlyTheCsvColumnsWithPersonalizesReservedTypes() throws Exception {
        for (boolean value : List.of(true, false)) {
            JsonNode schema = new ObjectMapper().readTree(InteractionsDataset.schemaJson(value));
            List<String> names = new ArrayList<>();
            schema.path("fields").forEach(f -> names.add(f.path("name").asText()));
            assertThat(names).isEqualTo(InteractionsDataset.columns(value));
        }
        assertThat(InteractionsDataset.columns(true)).containsExactly(
                "USER_ID", "ITEM_ID", "EVENT_TYPE", "EVENT_VALUE", "TIMESTAMP", "IMPRESSION", "RECOMMENDATION_ID");
        assertThat(InteractionsDataset.schemaJson(false))
                .contains("{\"name\":\"IMPRESSION\",\"type\":[\"null\",\"string\"]}")
                .contains("{\"name\":\"RECOMMENDATION_ID\",\"type\":[\"null\",\"string\"]}")
                .doesNotContain("EVENT_VALUE");
    }

    @Test
    void impressionKeepsTheFirstItemsWithinPersonalizesLimits() {
        assertThat(InteractionsDataset.impression(List.of("i1", "i2", "i3"))).isEqualTo("i1|i2|i3");
        assertThat(InteractionsDataset.impression(List.of())).isNull();

        List<String> many = IntStream.range(0, 40).mapToObj(i -> "item-" + i).toList();
        assertThat(InteractionsDataset.impression(many).split("\\|")).containsExactlyElementsOf(many.subList(0, 25));

        // 25 ids of 100 characters would be 2,524 characters: only the first 9 fit in 1,000.
        List<String> longIds = IntStream.range(0, 25).mapToObj(i -> String.format("%03d", i) + "x".repeat(97)).toList();
        String capped = InteractionsDataset.impression(longIds);
        assertThat(capped).hasSize(9 * 100 + 8);
        assertThat(capped.split("\\|")).containsExactlyElementsOf(longIds.subList(0, 9));
    }
}
