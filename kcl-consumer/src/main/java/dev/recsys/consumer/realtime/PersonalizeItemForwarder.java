package dev.recsys.consumer.realtime;

import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsAsyncClient;
import software.amazon.awssdk.services.personalizeevents.model.Item;

/**
 * Sends the upserts the items table applied to the Items dataset (PutItems) the way every catalog dataset is fed
 * ({@link PersonalizeCatalogForwarder}). Deletes are not sent (PutItems cannot remove an item); the import leaves
 * deleted items out and the API's catalog filter drops them meanwhile.
 */
public final class PersonalizeItemForwarder extends PersonalizeCatalogForwarder<Cataloged, Item> {

    public PersonalizeItemForwarder(PersonalizeEventsAsyncClient client, String datasetArn, int capacity, int attempts,
                                    int maxInFlight, Duration callTimeout, MetricRegistry metrics) {
        super("item", capacity, attempts, maxInFlight, callTimeout, metrics, PersonalizeItemForwarder::toItem,
                items -> client.putItems(r -> r.datasetArn(datasetArn).items(items)));
    }

    @Override
    public void onItemsStored(List<Cataloged> applied) {
        forward(applied);
    }

    /** {@code properties}: the Items schema's fields ({@link ItemsDataset#properties}). */
    static Item toItem(Cataloged c) {
        return Item.builder().itemId(c.item().itemId()).properties(json(ItemsDataset.properties(c.item()))).build();
    }
}
