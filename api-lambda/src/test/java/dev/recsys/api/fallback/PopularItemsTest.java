package dev.recsys.api.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.api.core.ScoredItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PopularItemsTest {

    private static byte[] doc(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesThePublishedFormat() {
        PopularItems p = PopularItems.parse(doc("{\"generated_at\":\"2026-11-25T06:00:00Z\",\"model_version\":\"sv-7\","
                + "\"items\":[{\"item_id\":\"i1\",\"score\":0.9},{\"item_id\":\"i2\"}]}"));
        assertThat(p.modelVersion()).isEqualTo("sv-7");
        assertThat(p.generatedAt()).isEqualTo("2026-11-25T06:00:00Z");
        assertThat(p.items()).containsExactly(new ScoredItem("i1", 0.9), new ScoredItem("i2", null));
        assertThat(p.top(1)).containsExactly(new ScoredItem("i1", 0.9));
        assertThat(p.top(50)).hasSize(2);
    }

    @Test
    void rejectsUnusableDocuments() {
        assertThatThrownBy(() -> PopularItems.parse(doc("nope"))).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> PopularItems.parse(doc("{\"model_version\":\"v\"}"))).hasMessageContaining("items array");
        assertThatThrownBy(() -> PopularItems.parse(doc("{\"items\":[]}"))).hasMessageContaining("model_version");
        assertThatThrownBy(() -> PopularItems.parse(doc("{\"model_version\":\"v\",\"items\":[{\"item_id\":\"a b\"}]}")))
                .hasMessageContaining("invalid item_id");
        assertThatThrownBy(() -> PopularItems.parse(doc("{\"model_version\":\"a|b\",\"items\":[]}")))
                .hasMessageContaining("model_version");
    }
}
