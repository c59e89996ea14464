package dev.recsys.bench.ingest;

import dev.recsys.consumer.aws.ConsumerAwsClients;
import dev.recsys.consumer.config.AwsSettings;
import dev.recsys.consumer.config.KclSettings;
import dev.recsys.consumer.lifecycle.KclWorker;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.ShardRecordProcessor;

/**
 * The yardstick: the same KCL worker and retrieval settings as the real consumer, with a processor
 * that only counts user records. Whatever the real consumer loses against it is our code's cost.
 */
final class NoOpConsumer implements AutoCloseable {

    final AtomicLong records = new AtomicLong();
    volatile long firstRecordNanos;
    private final ConsumerAwsClients clients;
    private final KclWorker worker;

    NoOpConsumer(AwsSettings aws, KclSettings kcl) {
        this.clients = new ConsumerAwsClients(aws, List.of());
        this.worker = new KclWorker(kcl, clients.kinesis(), clients.leaseDynamoDb(), clients.cloudWatch(), Counter::new);
    }

    void start() {
        worker.start();
    }

    private final class Counter implements ShardRecordProcessor {
        @Override public void initialize(InitializationInput input) {}

        @Override
        public void processRecords(ProcessRecordsInput input) {
            if (!input.records().isEmpty() && firstRecordNanos == 0) firstRecordNanos = System.nanoTime();
            records.addAndGet(input.records().size());
        }

        @Override public void leaseLost(LeaseLostInput input) {}
        @Override public void shardEnded(ShardEndedInput input) {}
        @Override public void shutdownRequested(ShutdownRequestedInput input) {}
    }

    @Override
    public void close() throws Exception {
        worker.stop();
        clients.close();
    }
}
