package dev.recsys.consumer.ingest;

import dev.recsys.consumer.attribution.Attributor;
import dev.recsys.consumer.sink.ArchiveStore;
import dev.recsys.consumer.sink.ExperimentStore;
import dev.recsys.consumer.sink.ExposureStore;
import dev.recsys.consumer.sink.InteractionStore;
import dev.recsys.consumer.sink.ItemStore;
import dev.recsys.consumer.sink.ProfileStore;
import dev.recsys.consumer.sink.StoredEventListener;
import dev.recsys.consumer.sink.UserStore;
import java.util.List;

/** Everything a shard writes to, in the order it writes: fast tier, then checkpoint tier. */
public record Sinks(InteractionStore interactions, ExposureStore exposures, ItemStore items, UserStore users,
                    List<StoredEventListener> listeners,
                    ProfileStore profiles, ArchiveStore archive, Attributor attribution, ExperimentStore experiments) {}
