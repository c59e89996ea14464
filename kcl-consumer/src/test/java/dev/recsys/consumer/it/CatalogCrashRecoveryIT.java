package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.local.stack.process.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A worker applies the catalog and its deletes to the items table but is SIGKILLed before any checkpoint (S3 is
 * unreachable, so no window completes). Older upserts of deleted items and newer updates arrive meanwhile. The next
 * worker redelivers everything from TRIM_HORIZON: no item is lost, none comes back from the dead, the newer updates
 * hold, and the lake has every record once.
 */
@WithLocalStack
class CatalogCrashRecoveryIT {

    @Test
    void redeliveryAfterACrashLosesNoItemAndResurrectsNone(LocalStack stack, @TempDir Path dir) throws Exception {
        int deadPort = Ports.freePort();
        ConsumerSetup crashing = new ConsumerSetup("itemcrash", stack.endpoints()).s3Endpoint("http://127.0.0.1:" + deadPort);
        ConsumerSetup healthy = new ConsumerSetup("itemcrash", stack.endpoints());
        TestStores.create(stack, healthy);
        stack.createStream(crashing.stream, 2);
        long now = System.currentTimeMillis();
        List<CatalogItem> catalog = new SyntheticWorkload(SyntheticWorkload.Config.reference(9, 0, now)).catalog(now - 60_000);
        List<CatalogItem> deletes = new ArrayList<>();
        for (int i = 0; i < 40; i++) deletes.add(CatalogItem.delete(catalog.get(i).itemId(), now - 30_000));
        List<CatalogItem> firstPhase = new ArrayList<>(catalog);
        firstPhase.addAll(deletes);
        TestTraffic.sendItems(stack, crashing.stream, firstPhase);
        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), healthy);

        try (ChildConsumer first = ChildConsumer.start(crashing.writeConfig(dir, "first"), dir, "first")) {
            Await.until("the catalog and its deletes applied by the first worker", Duration.ofMinutes(2),
                    () -> deletedCount(inspect.items()) == deletes.size() && inspect.items().size() == catalog.size(),
                    () -> inspect.items().size() + " items, " + deletedCount(inspect.items()) + " deleted; log:\n" + first.logTail());
            assertThat(inspect.leases()).hasSize(2).allSatisfy(l -> assertThat(l.checkpoint()).isEqualTo("TRIM_HORIZON"));
            assertThat(inspect.objectKeys("raw/")).isEmpty();
            first.kill9();
        }

        List<CatalogItem> secondPhase = new ArrayList<>();
        for (int i = 0; i < 20; i++) secondPhase.add(upsertAt(catalog.get(i), now - 45_000, true)); // older than the deletes
        for (int i = 100; i < 120; i++) secondPhase.add(upsertAt(catalog.get(i), now - 10_000, !catalog.get(i).available()));
        TestTraffic.sendItems(stack, healthy.stream, secondPhase);
        List<CatalogItem> all = new ArrayList<>(firstPhase);
        all.addAll(secondPhase);

        try (ChildConsumer second = ChildConsumer.start(healthy.writeConfig(dir, "second"), dir, "second")) {
            Await.until("the second worker to replay and checkpoint everything", Duration.ofMinutes(2),
                    () -> TestTraffic.fullyCheckpointed(stack, healthy, inspect)
                            && inspect.jsonLines(S3Layout.RAW_ITEMS_PREFIX).size() >= all.size(),
                    () -> "leases " + inspect.leases() + "; log:\n" + second.logTail());

            Map<String, Map<String, AttributeValue>> rows = inspect.items();
            assertThat(rows).as("no item lost").hasSize(catalog.size());
            for (int i = 0; i < 40; i++) {
                assertThat(rows.get(catalog.get(i).itemId()).get(ItemKeys.DELETED).bool()).as("not resurrected: " + i).isTrue();
            }
            for (int i = 100; i < 120; i++) {
                Map<String, AttributeValue> row = rows.get(catalog.get(i).itemId());
                assertThat(row.get(ItemKeys.UPDATED_AT).n()).as("the newer update holds over the replayed catalog").isEqualTo(Long.toString(now - 10_000));
                assertThat(row.get(ItemKeys.AVAILABLE).bool()).isEqualTo(!catalog.get(i).available());
            }
            assertThat(deletedCount(rows)).isEqualTo(deletes.size());

            Map<String, Integer> archived = new HashMap<>();
            for (JsonNode line : inspect.jsonLines(S3Layout.RAW_ITEMS_PREFIX)) archived.merge(line.toString(), 1, Integer::sum);
            Map<String, Integer> sent = new HashMap<>();
            for (CatalogItem c : all) sent.merge(EventJson.toJson(c), 1, Integer::sum);
            assertThat(archived).as("every record once in raw/items").isEqualTo(sent);
            assertThat(inspect.leases()).allSatisfy(l -> assertThat(l.owner()).isEqualTo("second"));
            assertThat(second.terminate(60)).as("graceful exit on SIGTERM").isIn(0, 143);
        }
    }

    private static long deletedCount(Map<String, Map<String, AttributeValue>> rows) {
        return rows.values().stream().filter(r -> r.get(ItemKeys.DELETED).bool()).count();
    }

    private static CatalogItem upsertAt(CatalogItem c, long updatedAt, boolean available) {
        return new CatalogItem(c.itemId(), CatalogItem.Operation.UPSERT, updatedAt, c.category(), c.brand(), c.genres(), c.price(),
                c.creationTimestamp(), available, c.display());
    }
}
