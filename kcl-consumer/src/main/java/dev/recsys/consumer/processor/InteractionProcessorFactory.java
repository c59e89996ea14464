package dev.recsys.consumer.processor;

import dev.recsys.common.event.EventParser;
import dev.recsys.consumer.ingest.IngestMetrics;
import dev.recsys.consumer.ingest.ShardIngestor;
import java.util.function.Function;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

public final class InteractionProcessorFactory implements ShardRecordProcessorFactory {

    private final EventParser parser;
    private final Function<String, ShardIngestor> ingestors;
    private final IngestMetrics metrics;
    private final Backoff backoff;

    public InteractionProcessorFactory(EventParser parser, Function<String, ShardIngestor> ingestors,
                                       IngestMetrics metrics, Backoff backoff) {
        this.parser = parser;
        this.ingestors = ingestors;
        this.metrics = metrics;
        this.backoff = backoff;
    }

    @Override
    public ShardRecordProcessor shardRecordProcessor() {
        return new InteractionRecordProcessor(parser, ingestors, metrics, backoff);
    }
}
