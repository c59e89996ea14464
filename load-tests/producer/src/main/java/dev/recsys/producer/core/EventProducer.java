package dev.recsys.producer.core;

import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.InteractionEvent;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Writes interaction events to a Kinesis stream: one user record per event, partition key {@code user_id},
 * payload {@link EventJson}. Every failure surfaces, through the returned future and through {@link #flush()}.
 */
public interface EventProducer extends AutoCloseable {

    /** Completes when Kinesis has acknowledged the event; fails with a {@link ProducerException} otherwise. */
    default CompletableFuture<Void> send(InteractionEvent event) {
        return sendRaw(event.userId(), EventJson.toBytes(event));
    }

    /** Sends every event; the result completes when all are acknowledged and fails if any failed. */
    default CompletableFuture<Void> sendAll(Collection<InteractionEvent> events) {
        return CompletableFuture.allOf(events.stream().map(this::send).toArray(CompletableFuture[]::new));
    }

    /**
     * Sends arbitrary bytes under a chosen partition key: how tests put poison records (invalid JSON,
     * garbage) on the stream. Breaking Kinesis's own limits (key of 1–256 characters, key plus data
     * at most 1 MiB) fails the future with a {@link ProducerException} without sending.
     */
    CompletableFuture<Void> sendRaw(String partitionKey, byte[] data);

    /**
     * Blocks until everything sent so far is acknowledged or has failed.
     *
     * @throws ProducerException when any record sent since the previous flush failed
     */
    void flush();

    /** Flushes (throwing like {@link #flush()}) and releases the producer's threads, processes and clients. */
    @Override
    void close();
}
