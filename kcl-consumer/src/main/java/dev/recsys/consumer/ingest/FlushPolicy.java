package dev.recsys.consumer.ingest;

import dev.recsys.consumer.config.FlushSettings;

/** When each tier flushes; see {@link FlushSettings}. */
public record FlushPolicy(long interactionFlushMillis, int interactionFlushRecords,
                          long checkpointMillis, int checkpointRecords, int maxBufferedRecords) {

    public static FlushPolicy from(FlushSettings s) {
        return new FlushPolicy(s.interactionFlushInterval.toMilliseconds(), s.interactionFlushRecords,
                s.checkpointInterval.toMilliseconds(), s.checkpointRecords, s.maxBufferedRecords);
    }
}
