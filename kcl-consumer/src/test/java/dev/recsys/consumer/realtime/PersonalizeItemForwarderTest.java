package dev.recsys.consumer.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.RecordPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.personalizeevents.model.Item;
import software.amazon.awssdk.services.personalizeevents.model.PutItemsRequest;
import software.amazon.awssdk.services.personalizeevents.model.PutItemsResponse;
import software.amazon.awssdk.services.personalizeevents.model.ResourceNotFoundException;

class PersonalizeItemForwarderTest {

    static final String DATASET = "arn:aws:personalize:us-east-1:000000000000:dataset/recsys/ITEMS";

    static CatalogItem upsert(String id, long updatedAt, boolean available) {
        return new CatalogItem(id, CatalogItem.Operation.UPSERT, updatedAt, "books", "acme", List.of("sci-fi", "space"), 12.5,
                1_700_000_123_456L, available, Map.of("title", "not sent"));
    }

    static List<Cataloged> applied(CatalogItem... items) {
        List<Cataloged> out = new ArrayList<>();
        for (CatalogItem i : items) out.add(new Cataloged(i, new RecordPosition("1", 0), true));
        return out;
    }

    @Test
    void callsHoldAtMostTenItemsAndOnlyTheLatestRecordOfEach() {
        List<CatalogItem> records = new ArrayList<>();
        for (int i = 0; i < 23; i++) records.add(upsert("i" + i, 1_000, true));
        records.add(upsert("i3", 2_000, false));
        records.add(upsert("i4", 500, false));
        List<List<Item>> calls = PersonalizeCatalogForwarder.calls(applied(records.toArray(CatalogItem[]::new)),
                PersonalizeItemForwarder::toItem);
        assertThat(calls).extracting(List::size).containsExactly(10, 10, 3);
        assertThat(calls.stream().flatMap(List::stream).map(Item::itemId).distinct()).hasSize(23);
        Item i3 = calls.get(0).get(3);
        assertThat(i3.itemId()).isEqualTo("i3");
        assertThat(i3.properties()).as("the later record wins").contains("\"available\":\"false\"");
        assertThat(calls.get(0).get(4).properties()).as("the older record loses").contains("\"available\":\"true\"");
    }

    @Test
    void propertiesAreTheItemsSchemaFieldsInCamelCaseAsStrings() throws Exception {
        Map<String, String> properties = new ObjectMapper().readValue(PersonalizeItemForwarder.toItem(applied(upsert("i1", 1_000, true)).get(0)).properties(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
        assertThat(properties).containsExactlyInAnyOrderEntriesOf(Map.of("category", "books", "brand", "acme", "genres", "sci-fi|space",
                "price", "12.5", "available", "true", "creationTimestamp", "1700000123"));
    }

    @Test
    void upsertsAreSentDeletesAreNotAndAFailedCallIsRetriedThenCountedAsDropped() throws Exception {
        FakeDatasets dataset = new FakeDatasets();
        MetricRegistry metrics = new MetricRegistry();
        PersonalizeItemForwarder f = new PersonalizeItemForwarder(dataset, DATASET, 100, 2, 4, Duration.ofSeconds(5), metrics);
        f.start();
        try {
            f.onItemsStored(applied(upsert("i1", 1_000, true), CatalogItem.delete("i2", 1_000)));
            FakeDatasets.Call<PutItemsRequest, PutItemsResponse> call = FakeDatasets.next(dataset.items);
            assertThat(call.request().datasetArn()).isEqualTo(DATASET);
            assertThat(call.request().items()).extracting(Item::itemId).containsExactly("i1");
            call.answer().complete(PutItemsResponse.builder().build());
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics.meter("personalize.itemsSent").getCount() == 1);

            f.onItemsStored(applied(upsert("i3", 1_000, true)));
            FakeDatasets.next(dataset.items).answer().completeExceptionally(ResourceNotFoundException.builder().message("no dataset").build());
            FakeDatasets.Call<PutItemsRequest, PutItemsResponse> retry = FakeDatasets.next(dataset.items);
            assertThat(retry).as("retried once").isNotNull();
            assertThat(retry.request().items()).extracting(Item::itemId).containsExactly("i3");
            retry.answer().completeExceptionally(ResourceNotFoundException.builder().message("no dataset").build());
            await().atMost(Duration.ofSeconds(5)).until(() -> metrics.meter("personalize.itemsDropped").getCount() == 1);
            assertThat(metrics.meter("personalize.failedItemCalls").getCount()).isEqualTo(2);
            assertThat(dataset.items.poll(300, TimeUnit.MILLISECONDS)).as("no third attempt").isNull();
        } finally {
            f.close();
        }
    }
}
