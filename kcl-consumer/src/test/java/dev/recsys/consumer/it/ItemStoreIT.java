package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.consumer.config.RetrySettings;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.RecordPosition;
import dev.recsys.consumer.sink.DynamoItemStore;
import dev.recsys.consumer.sink.Retrier;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items table against dynalite: replays (KCL redelivery after a crash or a lease loss), producer retries, late
 * records and a zombie worker writing beside the new owner never overwrite a newer state or bring a deleted item back.
 */
@WithLocalStack
class ItemStoreIT {

    static final long T = System.currentTimeMillis() - 600_000;
    long seq = 1;

    static CatalogItem upsert(String id, long updatedAt, String category, boolean available, Double price) {
        return new CatalogItem(id, CatalogItem.Operation.UPSERT, updatedAt, category, "acme", List.of(category + "-genre", "x"),
                price, T - 86_400_000L, available, Map.of("title", "Item " + id + " as of " + updatedAt));
    }

    List<Cataloged> records(CatalogItem... items) {
        List<Cataloged> out = new ArrayList<>();
        for (CatalogItem i : items) out.add(new Cataloged(i, new RecordPosition(Long.toString(seq++), 0), true));
        return out;
    }

    static List<Boolean> applied(List<Cataloged> result) {
        return result.stream().map(Cataloged::applied).toList();
    }

    @Test
    void replaysAndLateRecordsNeverOverwriteANewerStateNorResurrectADeletedItem(LocalStack stack) {
        ConsumerSetup setup = new ConsumerSetup("itemstore", stack.endpoints());
        TestStores.create(stack, setup);
        DynamoItemStore store = new DynamoItemStore(stack.dynamoDbAsync(), setup.itemsTable, new Retrier("it", new RetrySettings()));
        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), setup);

        CatalogItem v1 = upsert("item-1", T, "books", true, 10.0);
        CatalogItem v2 = upsert("item-1", T + 1_000, "music", false, 1e9);
        CatalogItem delete = CatalogItem.delete("item-1", T + 2_000);
        CatalogItem other = upsert("item-2", T, "games", true, null);

        List<Cataloged> first = records(v2, other);
        assertThat(applied(store.storeItems("s1", first))).containsExactly(true, true);
        Map<String, AttributeValue> row = inspect.items().get("item-1");
        assertThat(row.get(ItemKeys.REVISION).s()).isEqualTo(v2.revision());
        assertThat(row.get(ItemKeys.CATEGORY).s()).isEqualTo("music");
        assertThat(row.get(ItemKeys.AVAILABLE).bool()).isFalse();
        assertThat(row.get(ItemKeys.DELETED).bool()).isFalse();
        assertThat(row.get(ItemKeys.PRICE).n()).as("a plain decimal, not 1.0E9").isEqualTo("1000000000");
        assertThat(row.get(ItemKeys.GENRES).l()).extracting(AttributeValue::s).containsExactly("music-genre", "x");
        assertThat(row.get(ItemKeys.DISPLAY).m().get("title").s()).isEqualTo("Item item-1 as of " + (T + 1_000));
        assertThat(row.get(ItemKeys.UPDATED_AT).n()).isEqualTo(Long.toString(T + 1_000));
        assertThat(row.get(ItemKeys.CREATION_TIMESTAMP).n()).isEqualTo(Long.toString(T - 86_400_000L));
        assertThat(inspect.items().get("item-2")).doesNotContainKey(ItemKeys.PRICE);

        assertThat(applied(store.storeItems("s1", first))).as("the same records again: a replay").containsExactly(false, false);
        assertThat(applied(store.storeItems("s1", records(v1)))).as("an older record arriving late").containsExactly(false);
        assertThat(inspect.items().get("item-1").get(ItemKeys.REVISION).s()).isEqualTo(v2.revision());

        assertThat(applied(store.storeItems("s1", records(delete)))).containsExactly(true);
        Map<String, AttributeValue> tombstone = inspect.items().get("item-1");
        assertThat(tombstone.get(ItemKeys.DELETED).bool()).isTrue();
        assertThat(tombstone.get(ItemKeys.REVISION).s()).isEqualTo(delete.revision());
        assertThat(tombstone).as("a tombstone keeps no attributes").containsOnlyKeys(ItemKeys.PARTITION_KEY, ItemKeys.REVISION,
                ItemKeys.UPDATED_AT, ItemKeys.DELETED);

        assertThat(applied(store.storeItems("s1", records(v1, v2)))).as("replaying the upserts after the delete").containsExactly(false, false);
        assertThat(inspect.items().get("item-1").get(ItemKeys.DELETED).bool()).as("not resurrected").isTrue();

        CatalogItem back = upsert("item-1", T + 3_000, "books", true, 5.0);
        assertThat(applied(store.storeItems("s1", records(back)))).as("a later upsert revives it, as the producer meant").containsExactly(true);
        assertThat(inspect.items().get("item-1").get(ItemKeys.DELETED).bool()).isFalse();
        assertThat(inspect.items().get("item-1").get(ItemKeys.CATEGORY).s()).isEqualTo("books");

        CatalogItem early = upsert("item-3", T, "toys", true, 1.0);
        CatalogItem late = upsert("item-3", T + 5, "toys", false, 2.0);
        assertThat(applied(store.storeItems("s1", records(late, early)))).as("one batch, newest first: only the newest is written")
                .containsExactly(true, false);
        assertThat(inspect.items().get("item-3").get(ItemKeys.AVAILABLE).bool()).isFalse();
    }

    @Test
    void aZombieWorkerAndTheNewOwnerWritingAtOnceConvergeOnEachItemsLatestRecord(LocalStack stack) {
        ConsumerSetup setup = new ConsumerSetup("itemrace", stack.endpoints());
        TestStores.create(stack, setup);
        DynamoItemStore store = new DynamoItemStore(stack.dynamoDbAsync(), setup.itemsTable, new Retrier("it", new RetrySettings()));
        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), setup);
        Random random = new Random(3);
        List<CatalogItem> all = new ArrayList<>();
        Map<String, CatalogItem> latest = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String id = "item-" + i;
            for (int v = 0; v < 4; v++) {
                long at = T + random.nextInt(1_000);
                CatalogItem r = v == 3 && i % 3 == 0 ? CatalogItem.delete(id, at) : upsert(id, at, "c" + v, random.nextBoolean(), (double) v);
                all.add(r);
                latest.merge(id, r, (a, b) -> a.revision().compareTo(b.revision()) >= 0 ? a : b);
            }
        }
        List<CatalogItem> zombieOrder = new ArrayList<>(all);
        List<CatalogItem> ownerOrder = new ArrayList<>(all);
        Collections.shuffle(zombieOrder, new Random(1));
        Collections.shuffle(ownerOrder, new Random(2));
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (List<CatalogItem> order : List.of(zombieOrder, ownerOrder)) {
            List<List<Cataloged>> batches = new ArrayList<>();
            for (int from = 0; from < order.size(); from += 25) {
                batches.add(records(order.subList(from, Math.min(order.size(), from + 25)).toArray(CatalogItem[]::new)));
            }
            writers.add(CompletableFuture.runAsync(() -> batches.forEach(b -> store.storeItems("s", b))));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();

        Map<String, Map<String, AttributeValue>> rows = inspect.items();
        assertThat(rows).hasSize(60);
        latest.forEach((id, r) -> {
            assertThat(rows.get(id).get(ItemKeys.REVISION).s()).as(id).isEqualTo(r.revision());
            assertThat(rows.get(id).get(ItemKeys.DELETED).bool()).as(id).isEqualTo(r.isDelete());
        });
    }
}
