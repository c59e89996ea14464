package dev.recsys.consumer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.EventParser;
import dev.recsys.common.event.EventLimits;
import dev.recsys.consumer.processor.Backoff;
import dev.recsys.consumer.processor.InteractionRecordProcessor;
import dev.recsys.local.stack.metrics.EmfStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * The lag metric as the processors feed it and aws-embedded-metrics writes it: the contract's namespace, metric and
 * stream dimension (metrics.consumer_lag, which Terraform's scaling policy and alarm read), the maximum over the shards
 * the worker holds, and a shard whose lease was lost gone from the next document.
 */
class LagMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Contract.ConsumerLag NAMES = Contract.get().metrics().consumerLag();

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final IngestMetrics metrics = new IngestMetrics(new MetricRegistry());
    private final LagMetrics lag = new LagMetrics(metrics.millisBehindLatest, "recsys-interactions", "worker-a", Duration.ofMinutes(1),
            () -> new MetricsLogger(EmfStandIn.environment(lines::add)), System::currentTimeMillis);

    @Test
    void theDocumentCarriesTheContractsNamesAndTheMaximumOverTheWorkersShards() throws Exception {
        InteractionRecordProcessor one = processor("shardId-000000000000");
        InteractionRecordProcessor two = processor("shardId-000000000001");
        deliver(one, 1_500L);
        deliver(two, 42_000L);
        deliver(two, 7_000L);

        assertThat(lag.publish()).isEqualTo(new LagTracker.Interval(42_000, 2, 0));

        assertThat(lines).hasSize(1);
        JsonNode doc = JSON.readTree(lines.get(0));
        JsonNode directive = doc.at("/_aws/CloudWatchMetrics/0");
        assertThat(directive.get("Namespace").asText()).isEqualTo(NAMES.namespace());
        assertThat(directive.get("Dimensions").toString()).isEqualTo(JSON.writeValueAsString(List.of(List.of(NAMES.streamDimension()))));
        assertThat(directive.get("Metrics")).isEqualTo(JSON.valueToTree(List.of(
                java.util.Map.of("Name", NAMES.metric(), "Unit", "Milliseconds"))));
        assertThat(doc.get(NAMES.streamDimension()).asText()).isEqualTo("recsys-interactions");
        assertThat(doc.get(NAMES.metric()).asLong()).isEqualTo(42_000);
        assertThat(doc.get("Shards").asInt()).isEqualTo(2);
        assertThat(doc.get("WorkerId").asText()).isEqualTo("worker-a");
    }

    @Test
    void aShardWhoseLeaseWasLostLeavesTheNextDocument() throws Exception {
        InteractionRecordProcessor kept = processor("shardId-000000000000");
        InteractionRecordProcessor lost = processor("shardId-000000000001");
        deliver(kept, 200L);
        deliver(lost, 90_000L);
        lag.publish();

        deliver(kept, 300L);
        lost.leaseLost(LeaseLostInput.builder().build()); // its new owner reports it from now on
        lag.publish();

        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines.get(0)).get(NAMES.metric()).asLong()).isEqualTo(90_000);
        JsonNode after = JSON.readTree(lines.get(1));
        assertThat(after.get(NAMES.metric()).asLong()).isEqualTo(300);
        assertThat(after.get("Shards").asInt()).isEqualTo(1);
        assertThat(metrics.millisBehindLatest.currentMax()).isEqualTo(300);
    }

    @Test
    void aWorkerHoldingNoShardWritesNothing() {
        InteractionRecordProcessor only = processor("shardId-000000000000");
        deliver(only, 10L);
        only.leaseLost(LeaseLostInput.builder().build());

        assertThat(lag.publish()).isNull();
        assertThat(lines).isEmpty();
    }

    @Test
    void startedItWritesEveryIntervalOnItsOwnThread() throws Exception {
        LagMetrics fast = new LagMetrics(metrics.millisBehindLatest, "s", "w", Duration.ofMillis(20),
                () -> new MetricsLogger(EmfStandIn.environment(lines::add)), System::currentTimeMillis);
        deliver(processor("shardId-000000000000"), 5L);
        fast.start();
        try {
            long deadline = System.currentTimeMillis() + 5_000;
            while (lines.size() < 2 && System.currentTimeMillis() < deadline) Thread.sleep(10);
        } finally {
            fast.stop();
        }
        assertThat(lines.size()).isGreaterThanOrEqualTo(2);
    }

    /** A KCL processor of this worker on {@code shardId}, over in-memory stores (ShardIngestorTest's). */
    private InteractionRecordProcessor processor(String shardId) {
        ShardIngestorTest.Stores stores = new ShardIngestorTest.Stores();
        Sinks sinks = ShardIngestorTest.sinks(stores);
        InteractionRecordProcessor p = new InteractionRecordProcessor(new EventParser(EventLimits.DEFAULT, Clock.systemUTC()),
                id -> new ShardIngestor(id, sinks, new FlushPolicy(500, 100, 10_000, 1_000, 5_000), Clock.systemUTC(), metrics,
                        new ShardWriteOrder(Runnable::run)),
                metrics, new Backoff(1, 2, 10));
        p.initialize(InitializationInput.builder().shardId(shardId).extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON).build());
        return p;
    }

    /** An empty delivery (as the KCL makes on an idle shard) with the given MillisBehindLatest. */
    private static void deliver(InteractionRecordProcessor p, Long millisBehindLatest) {
        p.processRecords(ProcessRecordsInput.builder().records(List.of()).millisBehindLatest(millisBehindLatest).build());
    }
}
