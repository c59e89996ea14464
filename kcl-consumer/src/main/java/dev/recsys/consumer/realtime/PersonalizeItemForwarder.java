package dev.recsys.consumer.realtime;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.sink.StoredEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsAsyncClient;
import software.amazon.awssdk.services.personalizeevents.model.Item;

/**
 * Sends the upserts the items table applied to the Items dataset (PutItems, at most 10 items per call) through a
 * {@link BoundedForwarder}, as {@link PersonalizeEventForwarder} does with events: bounded queue and calls in flight,
 * retries with backoff, then the items are counted as dropped — the table and {@code raw/items/} still hold them
 * for the next bulk import. Deletes are not sent (PutItems cannot remove an item); the import leaves deleted items
 * out and the API's catalog filter drops them meanwhile. Of several records of one item drained together only the
 * latest is sent.
 */
public final class PersonalizeItemForwarder implements StoredEventListener {

    static final int MAX_ITEMS_PER_CALL = 10;
    private static final Logger LOG = LoggerFactory.getLogger(PersonalizeItemForwarder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PersonalizeEventsAsyncClient client;
    private final String datasetArn;
    private final BoundedForwarder<CatalogItem, List<Item>> forwarder;
    private final Meter sent;
    private final Meter dropped;
    private final Meter failedCalls;

    public PersonalizeItemForwarder(PersonalizeEventsAsyncClient client, String datasetArn, int capacity, int attempts,
                                    int maxInFlight, Duration callTimeout, MetricRegistry metrics) {
        this.client = client;
        this.datasetArn = datasetArn;
        this.sent = metrics.meter("personalize.itemsSent");
        this.dropped = metrics.meter("personalize.itemsDropped");
        this.failedCalls = metrics.meter("personalize.failedItemCalls");
        this.forwarder = new BoundedForwarder<>("personalize-items", capacity, attempts, maxInFlight, callTimeout,
                PersonalizeItemForwarder::calls, items -> client.putItems(r -> r.datasetArn(datasetArn).items(items)),
                new BoundedForwarder.Outcome<>() {
                    @Override
                    public void sent(List<Item> items) {
                        sent.mark(items.size());
                    }

                    @Override
                    public void failed(List<Item> items, Throwable cause, int attempt, boolean givingUp) {
                        failedCalls.mark();
                        if (!givingUp) return;
                        dropped.mark(items.size());
                        LOG.warn("PutItems of {} items failed after {} attempts: {}", items.size(), attempt, cause.toString());
                    }
                });
    }

    public void start() {
        forwarder.start();
    }

    @Override
    public void onStored(List<dev.recsys.consumer.record.IngestedRecord.Accepted> firstSeen) {
        // Interactions go to the event tracker, not to the Items dataset.
    }

    @Override
    public void onItemsStored(List<Cataloged> applied) {
        for (Cataloged c : applied) {
            if (c.item().isDelete()) continue;
            if (!forwarder.offer(c.item())) dropped.mark();
        }
    }

    /** The latest record of each item, as PutItems items, in calls of at most {@value #MAX_ITEMS_PER_CALL}. */
    static List<List<Item>> calls(List<CatalogItem> records) {
        Map<String, CatalogItem> latest = new LinkedHashMap<>();
        for (CatalogItem r : records) latest.merge(r.itemId(), r, (a, b) -> a.revision().compareTo(b.revision()) >= 0 ? a : b);
        List<Item> items = latest.values().stream().map(PersonalizeItemForwarder::toItem).toList();
        List<List<Item>> calls = new ArrayList<>();
        for (int i = 0; i < items.size(); i += MAX_ITEMS_PER_CALL) calls.add(items.subList(i, Math.min(items.size(), i + MAX_ITEMS_PER_CALL)));
        return calls;
    }

    /** {@code properties}: a JSON object of the Items schema's fields in camel case ({@link ItemsDataset#properties}). */
    static Item toItem(CatalogItem item) {
        try {
            return Item.builder().itemId(item.itemId()).properties(JSON.writeValueAsString(ItemsDataset.properties(item))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    /** Sends what is queued (bounded), then stops. */
    @Override
    public void close() {
        forwarder.close();
    }
}
