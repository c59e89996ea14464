package dev.recsys.consumer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.RecordPosition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ProfileMergeTest {

    static Accepted at(long seq, String item, String type, long time) {
        return new Accepted(InteractionEvent.of("e" + seq, "u1", item, type, time), new RecordPosition(Long.toString(seq), 0), true);
    }

    @Test
    void countsOnlyPositionsAfterTheShardWatermark() {
        Map<String, AttributeValue> first = DynamoProfileStore.merge("u1", null, "s1",
                List.of(at(1, "a", "view", 100), at(2, "b", "click", 300)), 1);
        assertThat(first.get("event_count").n()).isEqualTo("2");
        assertThat(first.get("last_item_id").s()).isEqualTo("b");
        assertThat(first.get("version").n()).isEqualTo("1");

        // Replay of the same window plus one new event: only the new one counts.
        Map<String, AttributeValue> second = DynamoProfileStore.merge("u1", first, "s1",
                List.of(at(1, "a", "view", 100), at(2, "b", "click", 300), at(3, "c", "view", 200)), 2);
        assertThat(second.get("event_count").n()).isEqualTo("3");
        assertThat(second.get("counts_by_type").m().get("view").n()).isEqualTo("2");
        assertThat(second.get("first_event_at").n()).isEqualTo("100");
        assertThat(second.get("last_event_at").n()).isEqualTo("300");
        assertThat(second.get("last_item_id").s()).as("latest by event time, not arrival").isEqualTo("b");

        // A full replay changes nothing at all.
        assertThat(DynamoProfileStore.merge("u1", second, "s1", List.of(at(2, "b", "click", 300), at(3, "c", "view", 200)), 3)).isNull();
    }

    @Test
    void watermarksAreKeptPerShard() {
        Map<String, AttributeValue> p = DynamoProfileStore.merge("u1", null, "s1", List.of(at(50, "a", "view", 1)), 1);
        Map<String, AttributeValue> q = DynamoProfileStore.merge("u1", p, "s2", List.of(at(5, "b", "view", 2)), 2);
        assertThat(q.get("event_count").n()).as("a child shard's smaller sequence numbers still count").isEqualTo("2");
        assertThat(q.get("applied").m()).containsKeys("s1", "s2");
    }
}
