package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.event.RejectReason;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The synthetic catalog through Kinesis beside interactions: then updates, deletes, late upserts (older than what the
 * table holds, some of them after a delete), producer retries and bad catalog records. The items table ends with each
 * item's latest record, deleted items stay deleted, every accepted record is once in {@code raw/items/}, and each bad
 * record is dead-lettered with its reason.
 */
@WithLocalStack
class CatalogIngestIT {

    @Test
    void theCatalogLandsInTheItemsTableAndTheLakeAndBadRecordsAreDeadLettered(LocalStack stack, @TempDir Path dir) throws Exception {
        ConsumerSetup setup = new ConsumerSetup("catalog", stack.endpoints());
        stack.createStream(setup.stream, 2);
        long now = System.currentTimeMillis();
        SyntheticWorkload workload = new SyntheticWorkload(SyntheticWorkload.Config.reference(5, 300, now - 120_000));
        List<CatalogItem> catalog = workload.catalog(now - 60_000);
        List<CatalogItem> later = new ArrayList<>();
        for (int i = 0; i < 50; i++) { // updates: price and availability change
            CatalogItem c = catalog.get(i);
            later.add(new CatalogItem(c.itemId(), CatalogItem.Operation.UPSERT, now - 30_000, c.category(), c.brand(), c.genres(),
                    c.price() * 2, c.creationTimestamp(), !c.available(), c.display()));
        }
        for (int i = 50; i < 70; i++) later.add(CatalogItem.delete(catalog.get(i).itemId(), now - 20_000));
        List<CatalogItem> late = new ArrayList<>();
        for (int i = 50; i < 60; i++) late.add(upsertAt(catalog.get(i), now - 25_000)); // older than the delete
        for (int i = 0; i < 10; i++) late.add(upsertAt(catalog.get(i), now - 40_000)); // older than the update
        List<CatalogItem> retries = catalog.subList(100, 120);

        Map<String, RejectReason> bad = new LinkedHashMap<>();
        String good = EventJson.toJson(catalog.get(200));
        bad.put(good.replace("\"operation\":\"upsert\"", "\"operation\":\"replace\""), RejectReason.INVALID_OPERATION);
        bad.put(good.replace("\"item_id\":\"item-000200\"", "\"item_id\":\"item 200\""), RejectReason.INVALID_ID);
        bad.put(good.replace("\"available\":", "\"in_stock\":true,\"available\":"), RejectReason.UNKNOWN_FIELD);
        bad.put(good.replaceFirst("\"price\":[0-9.]+", "\"price\":\"cheap\""), RejectReason.WRONG_TYPE);
        bad.put(good.replaceFirst("\"title\":\"[^\"]*\"", "\"title\":\"" + "t".repeat(2_000) + "\""), RejectReason.FIELD_TOO_LARGE);
        bad.put(good.replaceFirst("\"genres\":\\[[^]]*]", "\"genres\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]"),
                RejectReason.TOO_MANY_FIELDS);
        bad.put(good.replaceFirst(",\"available\":(true|false)", ""), RejectReason.MISSING_FIELD);
        bad.put(good.replace("\"category\":\"", "\"category\":\"a|"), RejectReason.INVALID_FIELD_VALUE);
        bad.put("{\"record_type\":\"item\",\"operation\":\"delete\",\"item_id\":\"item-000201\",\"updated_at\":" + now + ",\"price\":1}",
                RejectReason.UNKNOWN_FIELD);
        bad.put("{\"record_type\":\"item\",\"operation\":\"delete\",\"item_id\":\"item-000202\",\"updated_at\":" + (now + 3_600_000) + "}",
                RejectReason.TIMESTAMP_IN_FUTURE);
        assertThat(bad.keySet()).as("each bad record differs from the good one").doesNotContain(good);

        List<InteractionEvent> events = new ArrayList<>();
        workload.forEach(events::add);
        TestTraffic.sendItems(stack, setup.stream, catalog);
        TestTraffic.send(stack, setup.stream, events);
        TestTraffic.sendItems(stack, setup.stream, later);
        TestTraffic.sendItems(stack, setup.stream, late);
        TestTraffic.sendItems(stack, setup.stream, retries);
        TestTraffic.sendRaw(stack, setup.stream, "item-000200", bad.keySet().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());

        List<CatalogItem> accepted = new ArrayList<>(catalog);
        accepted.addAll(later);
        accepted.addAll(late);
        accepted.addAll(retries);
        Map<String, CatalogItem> expected = new HashMap<>();
        for (CatalogItem c : accepted) expected.merge(c.itemId(), c, (a, b) -> a.revision().compareTo(b.revision()) >= 0 ? a : b);

        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), setup);
        try (InProcessConsumer consumer = InProcessConsumer.start(setup.writeConfig(dir, "w1"), List.of())) {
            Await.until("every record checkpointed and archived", Duration.ofMinutes(3),
                    () -> TestTraffic.fullyCheckpointed(stack, setup, inspect) && inspect.jsonLines(S3Layout.RAW_ITEMS_PREFIX).size() >= accepted.size(),
                    () -> inspect.items().size() + " items; leases " + inspect.leases());

            Map<String, Map<String, AttributeValue>> rows = inspect.items();
            assertThat(rows.keySet()).as("every item once, deleted ones as tombstones").isEqualTo(expected.keySet());
            expected.forEach((id, want) -> {
                Map<String, AttributeValue> row = rows.get(id);
                assertThat(row.get(ItemKeys.REVISION).s()).as(id).isEqualTo(want.revision());
                assertThat(row.get(ItemKeys.DELETED).bool()).as(id).isEqualTo(want.isDelete());
                if (!want.isDelete()) {
                    assertThat(row.get(ItemKeys.AVAILABLE).bool()).as(id).isEqualTo(want.available());
                    assertThat(row.get(ItemKeys.CATEGORY).s()).as(id).isEqualTo(want.category());
                }
            });
            assertThat(rows.values().stream().filter(r -> r.get(ItemKeys.DELETED).bool()).count()).as("deleted, none resurrected").isEqualTo(20);
            assertThat(rows.get(catalog.get(0).itemId()).get(ItemKeys.UPDATED_AT).n()).as("the update, not the late older upsert")
                    .isEqualTo(Long.toString(now - 30_000));

            Map<String, Integer> archived = new HashMap<>();
            for (JsonNode line : inspect.jsonLines(S3Layout.RAW_ITEMS_PREFIX)) archived.merge(line.toString(), 1, Integer::sum);
            Map<String, Integer> sent = new HashMap<>();
            for (CatalogItem c : accepted) sent.merge(EventJson.toJson(c), 1, Integer::sum);
            assertThat(archived).as("raw/items: every accepted record as often as it was sent").isEqualTo(sent);
            assertThat(inspect.objectKeys(S3Layout.RAW_ITEMS_PREFIX)).allMatch(k -> k.endsWith(".jsonl.gz"));

            Expectations.deadLettered(inspect, bad);
            assertThat(consumer.metrics().meter("ingest.itemsWritten").getCount()).as("at least one write per final state")
                    .isGreaterThanOrEqualTo(expected.size());
            Expectations.exactlyOnceEverywhere(inspect, events);
        }
    }

    private static CatalogItem upsertAt(CatalogItem c, long updatedAt) {
        return new CatalogItem(c.itemId(), CatalogItem.Operation.UPSERT, updatedAt, c.category(), c.brand(), c.genres(), c.price(),
                c.creationTimestamp(), c.available(), c.display());
    }
}
