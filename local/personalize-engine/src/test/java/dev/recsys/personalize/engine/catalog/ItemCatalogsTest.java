package dev.recsys.personalize.engine.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.filter.FilterItem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemCatalogsTest {

    static final Map<String, ItemField> FIELDS = Map.of("ITEM_ID", new ItemField(false, false, false),
            "GENRES", new ItemField(true, true, false), "PRICE", new ItemField(true, false, true),
            "TITLE", new ItemField(true, false, false));

    @TempDir
    Path dir;

    @Test
    void aFullImportReplacesUpsertsMergeAndARestartKeepsBothEvenAfterATornLine() throws Exception {
        ItemCatalogs c = new ItemCatalogs(dir, new ObjectMapper());
        c.upsert("g", List.of(item("old", "a", "1")));
        c.replace("g", List.of(item("i1", "a|b", "2.5"), item("i2", "c", "")));
        c.upsert("g", List.of(item("i2", "d", "7")));
        c.upsert("other", List.of(item("x", "z", "0")));
        Files.writeString(dir.resolve(Files.list(dir).filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow().getFileName()),
                "{\"id\":\"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        for (ItemCatalogs catalog : List.of(c, new ItemCatalogs(dir, new ObjectMapper()))) {
            assertThat(catalog.get("g", "old")).isNull();
            assertThat(catalog.size("g")).isEqualTo(2);
            assertThat(catalog.filterView("g", "i1")).isEqualTo(new FilterItem(Map.of("GENRES", List.of("a", "b")), Map.of("PRICE", 2.5)));
            assertThat(catalog.filterView("g", "i2")).isEqualTo(new FilterItem(Map.of("GENRES", List.of("d")), Map.of("PRICE", 7.0)));
            assertThat(catalog.get("g", "i1").columns()).isEqualTo(Map.of("GENRES", "a|b", "PRICE", "2.5", "TITLE", "Title i1"));
            assertThat(catalog.filterView("g", "unknown")).isEqualTo(FilterItem.EMPTY);
            assertThat(catalog.size("other")).isEqualTo(1);
        }
    }

    @Test
    void fieldsOutsideTheSchemaAndNonNumbersAreRefused() {
        assertThatThrownBy(() -> CatalogItem.of("i", Map.of("COLOUR", "red"), FIELDS)).hasMessageContaining("COLOUR");
        assertThatThrownBy(() -> CatalogItem.of("i", Map.of("PRICE", "cheap"), FIELDS)).hasMessageContaining("not a number");
        // display-only strings are metadata, not filter values
        assertThat(CatalogItem.of("i", Map.of("TITLE", "A film"), FIELDS).filter()).isEqualTo(FilterItem.EMPTY);
    }

    static CatalogItem item(String id, String genres, String price) {
        return CatalogItem.of(id, Map.of("ITEM_ID", id, "GENRES", genres, "PRICE", price, "TITLE", "Title " + id), FIELDS);
    }
}
