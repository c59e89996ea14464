package dev.recsys.common.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void rawObjectsArePartitionedByEventHourAndNamedByWindowStart() {
        long t = java.time.Instant.parse("2026-11-25T07:59:59Z").toEpochMilli();
        assertThat(S3Layout.rawObjectKey(t, "shardId-000000000002", "4965", 7))
                .isEqualTo("raw/interactions/dt=2026-11-25/hr=07/shardId-000000000002-4965-7.jsonl.gz");
        assertThat(S3Layout.deadLetterObjectKey(t + 1000, "s", "1", 0)).startsWith("dead-letter/dt=2026-11-25/hr=08/");
        assertThat(S3Layout.rawItemObjectKey(t, "shardId-000000000002", "4965", 7))
                .isEqualTo("raw/items/dt=2026-11-25/hr=07/shardId-000000000002-4965-7.jsonl.gz");
    }

    @Test
    void theItemsTableIsKeyedByTheRecordsItemIdAndStoresFieldsUnderTheirRecordNames() {
        assertThat(ItemKeys.PARTITION_KEY).isEqualTo(dev.recsys.common.catalog.CatalogFields.ITEM_ID)
                .isEqualTo(dev.recsys.common.event.EventFields.ITEM_ID).isEqualTo("item_id");
        assertThat(java.util.List.of(ItemKeys.REVISION, ItemKeys.DELETED, ItemKeys.UPDATED_AT, ItemKeys.CATEGORY, ItemKeys.BRAND,
                ItemKeys.GENRES, ItemKeys.PRICE, ItemKeys.CREATION_TIMESTAMP, ItemKeys.AVAILABLE, ItemKeys.DISPLAY))
                .doesNotHaveDuplicates().doesNotContain(ItemKeys.PARTITION_KEY);
    }
}
