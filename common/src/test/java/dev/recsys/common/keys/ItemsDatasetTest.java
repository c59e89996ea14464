package dev.recsys.common.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.catalog.CatalogItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemsDatasetTest {

    private static final CatalogItem SHOE = new CatalogItem("i-7", CatalogItem.Operation.UPSERT, 1_700_000_000_000L, "shoes", "acme",
            List.of("running", "trail"), 1e9, 1_699_999_999_999L, false, Map.of("title", "Trail runner"));

    @Test
    void theSchemaHasEveryColumnInOrderWithItsTypeAndCategoricalFlag() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(ItemsDataset.schemaJson());
        assertThat(schema.path("name").asText()).isEqualTo("Items");
        List<String> names = new ArrayList<>();
        schema.path("fields").forEach(f -> names.add(f.path("name").asText()));
        assertThat(names).isEqualTo(ItemsDataset.COLUMNS);
        assertThat(schema.path("fields").get(0).toString()).isEqualTo("{\"name\":\"ITEM_ID\",\"type\":\"string\"}");
        assertThat(schema.path("fields").get(3).toString())
                .isEqualTo("{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}");
        assertThat(schema.path("fields").get(4).toString()).isEqualTo("{\"name\":\"PRICE\",\"type\":[\"null\",\"float\"]}");
        assertThat(schema.path("fields").get(5).toString())
                .isEqualTo("{\"name\":\"AVAILABLE\",\"type\":\"string\",\"categorical\":true}");
        assertThat(schema.path("fields").get(6).toString()).isEqualTo("{\"name\":\"CREATION_TIMESTAMP\",\"type\":\"long\"}");
    }

    @Test
    void aRowJoinsMultipleValuesWritesPlainNumbersAndSecondsAndLeavesDisplayOut() {
        assertThat(ItemsDataset.row(SHOE)).containsExactly("i-7", "shoes", "acme", "running|trail", "1000000000", "false", "1699999999");
        CatalogItem bare = new CatalogItem("i-8", CatalogItem.Operation.UPSERT, 5, null, null, List.of(), null, 2_000L, true, Map.of());
        assertThat(ItemsDataset.row(bare)).containsExactly("i-8", "", "", "", "", "true", "2");
        assertThatThrownBy(() -> ItemsDataset.row(CatalogItem.delete("i-9", 5))).hasMessageContaining("deleted item has no row");
    }

    @Test
    void putItemsPropertiesAreCamelCasedAndOmitAbsentFields() {
        assertThat(ItemsDataset.properties(SHOE)).containsExactly(Map.entry("category", "shoes"), Map.entry("brand", "acme"),
                Map.entry("genres", "running|trail"), Map.entry("price", "1000000000"), Map.entry("available", "false"),
                Map.entry("creationTimestamp", "1699999999"));
        assertThat(ItemsDataset.camelCase("CREATION_TIMESTAMP")).isEqualTo("creationTimestamp");
        // the engine reads PutItems properties back into columns: the same rule both ways, for every column
        for (String c : ItemsDataset.COLUMNS) assertThat(ItemsDataset.column(ItemsDataset.camelCase(c))).isEqualTo(c);
    }
}
