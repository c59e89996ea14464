package dev.recsys.common.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PopularItemsDocumentTest {

    @Test
    void readsBackAsWritten() {
        PopularItemsDocument doc = new PopularItemsDocument("2026-03-01T12:00:00Z", "run-9",
                List.of(new PopularItemsDocument.Item("item-1", 40.0), new PopularItemsDocument.Item("item-2", 30.0)));
        assertThat(new String(doc.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"generated_at\":\"2026-03-01T12:00:00Z\","
                + "\"model_version\":\"run-9\",\"items\":[{\"item_id\":\"item-1\",\"score\":40.0},{\"item_id\":\"item-2\",\"score\":30.0}]}");
        assertThat(PopularItemsDocument.parse(doc.toJson(), 500)).isEqualTo(doc);
    }

    @Test
    void readsAtMostTheLimitAndToleratesAMissingScore() {
        byte[] json = "{\"model_version\":\"v\",\"items\":[{\"item_id\":\"a\"},{\"item_id\":\"b\",\"score\":\"x\"},{}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(PopularItemsDocument.parse(json, 2).items())
                .containsExactly(new PopularItemsDocument.Item("a", null), new PopularItemsDocument.Item("b", null));
        assertThatThrownBy(() -> PopularItemsDocument.parse("[]".getBytes(StandardCharsets.UTF_8), 2)).hasMessageContaining("items array");
        assertThatThrownBy(() -> PopularItemsDocument.parse("{".getBytes(StandardCharsets.UTF_8), 2)).hasMessageContaining("not JSON");
    }
}
