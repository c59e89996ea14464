package dev.recsys.personalize.engine.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.personalize.engine.data.Interactions;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetCsvTest {

    static final Map<String, Boolean> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("USER_ID", false);
        FIELDS.put("ITEM_ID", false);
        FIELDS.put("EVENT_TYPE", false);
        FIELDS.put("TIMESTAMP", false);
        FIELDS.put("EVENT_VALUE", true);
        FIELDS.put("IMPRESSION", true);
        FIELDS.put("RECOMMENDATION_ID", true);
    }

    static Interactions read(String csv) throws Exception {
        Interactions.Builder b = Interactions.builder();
        DatasetCsv.readInteractions("s3://b/k.csv", new BufferedReader(new StringReader(csv)), FIELDS, b);
        return b.build();
    }

    @Test
    void readsColumnsInAnyOrderWithQuotesAndOptionalValues() throws Exception {
        Interactions data = read("timestamp,ITEM_ID,USER_ID,EVENT_TYPE,EVENT_VALUE\n"
                + "1700000000,\"item,1\",u1,click,\n"
                + "1700000005,i2,\"u \"\"2\"\"\",purchase,12.5\n"
                + "\n");
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.itemId(data.item(0))).isEqualTo("item,1");
        assertThat(data.userId(data.user(1))).isEqualTo("u \"2\"");
        assertThat(data.timestamp(1)).isEqualTo(1_700_000_005L);
        assertThat(data.value(0)).isNaN();
        assertThat(data.value(1)).isEqualTo(12.5f);
        assertThat(data.eventType(1)).isEqualTo("purchase");
    }

    @Test
    void acceptsTheGlueJobsHeaderWithImpressionsWhetherOrNotARowHasOne() throws Exception {
        Interactions data = read(String.join(",", InteractionsDataset.columns(true)) + "\n"
                + "u1,i1,click,,1700000000,i1|i7|i3,RID-1\n"
                + "u2,i2,view,2.0,1700000001,,\n"
                + "u3,i3,click,,1700000002," + String.join("|", Collections.nCopies(25, "i9")) + ",\n");
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.itemId(data.item(2))).isEqualTo("i3");
    }

    @Test
    void rejectsAMalformedImpressionOrRecommendationId() {
        String header = "USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP,IMPRESSION,RECOMMENDATION_ID\n";
        assertThatThrownBy(() -> read(header + "u1,i1,click,1,i1||i2,\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("line 2: an IMPRESSION item is empty");
        assertThatThrownBy(() -> read(header + "u1,i1,click,1," + String.join("|", Collections.nCopies(26, "i9")) + ",\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("IMPRESSION lists 26 items; at most 25");
        assertThatThrownBy(() -> read(header + "u1,i1,click,1," + "x".repeat(257) + ",\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("an IMPRESSION item is longer than 256");
        assertThatThrownBy(() -> read(header + "u1,i1,click,1," + String.join("|", Collections.nCopies(10, "y".repeat(100))) + ",\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("IMPRESSION is longer than 1000 characters");
        assertThatThrownBy(() -> read(header + "u1,i1,click,1,i1," + "r".repeat(257) + "\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("RECOMMENDATION_ID is longer than 256");

        Map<String, Boolean> required = new LinkedHashMap<>(FIELDS);
        required.put("IMPRESSION", false);
        assertThatThrownBy(() -> DatasetCsv.readInteractions("s3://b/k.csv",
                new BufferedReader(new StringReader(header + "u1,i1,click,1,,\n")), required, Interactions.builder()))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("IMPRESSION is empty");
    }

    @Test
    void nullableColumnsMayBeLeftOut() throws Exception {
        assertThat(read("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\nu1,i1,view,1\n").size()).isEqualTo(1);
    }

    @Test
    void rejectsWhatPersonalizeRejectsWithTheLine() {
        assertThatThrownBy(() -> read("USER_ID,ITEM_ID,EVENT_TYPE\nu1,i1,view\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("missing required columns [TIMESTAMP]");
        assertThatThrownBy(() -> read("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP,COLOUR\nu1,i1,view,1,red\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("COLOUR is not in the dataset schema");
        assertThatThrownBy(() -> read("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\nu1,i1,view,1\nu2,i2,view,yesterday\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("line 3").hasMessageContaining("TIMESTAMP 'yesterday'");
        assertThatThrownBy(() -> read("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\n,i1,view,1\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("USER_ID is empty");
        assertThatThrownBy(() -> read("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\nu1,i1,view\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("expected 4 columns, found 3");
        assertThatThrownBy(() -> read("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP,EVENT_VALUE\nu1,i1,view,1,lots\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("EVENT_VALUE 'lots'");
        assertThatThrownBy(() -> read("USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\nu1," + "x".repeat(257) + ",view,1\n"))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("longer than 256");
        assertThatThrownBy(() -> read(""))
                .isInstanceOf(DatasetValidationException.class).hasMessageContaining("empty");
    }

    @Test
    void itemsFilesAreReadRowByRowAndChecked() throws Exception {
        Map<String, Boolean> fields = Map.of("ITEM_ID", false, "GENRE", true, "PRICE", false);
        java.util.List<String> seen = new java.util.ArrayList<>();
        assertThat(DatasetCsv.readRows("s3://b/items.csv", new BufferedReader(new StringReader("ITEM_ID,GENRE,PRICE\ni1,a|b,3\ni2,,4\n")),
                fields, "ITEM_ID", (where, id, columns) -> seen.add(id + "=" + new java.util.TreeMap<>(columns)))).isEqualTo(2);
        assertThat(seen).containsExactly("i1={GENRE=a|b, ITEM_ID=i1, PRICE=3}", "i2={GENRE=, ITEM_ID=i2, PRICE=4}");
        assertThatThrownBy(() -> DatasetCsv.readRows("s3://b/items.csv", new BufferedReader(new StringReader("ITEM_ID,GENRE,PRICE\n,a,1\n")),
                fields, "ITEM_ID", (w, i, c) -> {})).isInstanceOf(DatasetValidationException.class).hasMessageContaining("ITEM_ID is empty");
        assertThatThrownBy(() -> DatasetCsv.readRows("s3://b/items.csv", new BufferedReader(new StringReader("ITEM_ID,GENRE,PRICE\ni1,a,\n")),
                fields, "ITEM_ID", (w, i, c) -> {})).isInstanceOf(DatasetValidationException.class).hasMessageContaining("PRICE is empty");
    }
}
