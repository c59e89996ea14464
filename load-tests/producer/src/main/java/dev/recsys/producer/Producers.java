package dev.recsys.producer;

import dev.recsys.producer.core.ProducerConfig;
import dev.recsys.producer.core.EventProducer;
import dev.recsys.producer.kpl.KplProducer;
import dev.recsys.producer.sdk.PutRecordsProducer;

/** Builds the producer a {@link ProducerConfig} asks for. */
public final class Producers {

    private Producers() {}

    public static EventProducer create(ProducerConfig config) {
        EventProducer producer = switch (config.mode()) {
            case KPL -> new KplProducer(config);
            case PUT_RECORDS -> PutRecordsProducer.create(config);
        };
        return config.rateLimitPerSecond() > 0 ? new RateLimitedProducer(producer, config.rateLimitPerSecond()) : producer;
    }
}
