package dev.recsys.consumer.ingest;

import dev.recsys.consumer.sink.ArchiveStore;
import dev.recsys.consumer.sink.InteractionStore;
import dev.recsys.consumer.sink.ProfileStore;
import dev.recsys.consumer.sink.StoredEventListener;
import java.util.List;

/** Everything a shard writes to, in the order it writes. */
public record Sinks(InteractionStore interactions, ProfileStore profiles, ArchiveStore archive,
                    List<StoredEventListener> listeners) {}
