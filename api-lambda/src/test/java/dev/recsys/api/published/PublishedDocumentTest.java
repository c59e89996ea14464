package dev.recsys.api.published;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.api.fallback.PopularItems;
import dev.recsys.local.stack.logs.CapturedLog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PublishedDocumentTest {

    private static byte[] doc(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sourceStartsStaticRefreshesOnScheduleAndKeepsTheLastGoodList() {
        AtomicReference<byte[]> published = new AtomicReference<>();
        AtomicLong now = new AtomicLong(0);
        try (CapturedLog log = CapturedLog.start()) {
        PublishedDocument<PopularItems> source = new PublishedDocument<>("fallback list",
                PopularItems.staticList(List.of("s1", "s2")), published::get, PopularItems::parse, PopularItems::modelVersion,
                1_000, Runnable::run, now::get);

        assertThat(source.current().modelVersion()).isEqualTo("static");

        published.set(doc("{\"model_version\":\"v1\",\"items\":[{\"item_id\":\"p1\"}]}"));
        assertThat(source.current().modelVersion()).as("not due yet").isEqualTo("static");
        now.set(1_000);
        source.current();
        assertThat(source.current().modelVersion()).isEqualTo("v1");

        published.set(doc("{broken"));
        now.set(2_000);
        source.current();
        assertThat(source.current().modelVersion()).as("a broken publish keeps the last good list").isEqualTo("v1");
        assertThat(log.lines()).anyMatch(l -> l.contains("fallback list refresh failed") && l.contains("\"version\":\"v1\""));

        source.markStale();
        published.set(doc("{\"model_version\":\"v2\",\"items\":[{\"item_id\":\"p2\"}]}"));
        source.current();
        assertThat(source.current().modelVersion()).isEqualTo("v2");
        }
    }
}
