package dev.recsys.consumer.processor;

import dev.recsys.common.event.EventParser;
import dev.recsys.common.event.ParseResult;
import dev.recsys.common.event.RecordOrigin;
import dev.recsys.consumer.ingest.IngestMetrics;
import dev.recsys.consumer.ingest.ShardIngestor;
import dev.recsys.consumer.record.IngestedRecord;
import dev.recsys.consumer.record.RecordPosition;
import dev.recsys.consumer.sink.SinkException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * KCL shell around {@link ShardIngestor}: parses records, hands them over, and checkpoints exactly
 * the positions the ingestor reports durable. It never throws to the KCL (an exception there would
 * skip the batch, i.e. acknowledge unwritten data): a failed write stays buffered and is retried on
 * the next call, and when the buffer is full the shard waits here until the stores recover.
 */
public final class InteractionRecordProcessor implements ShardRecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(InteractionRecordProcessor.class);

    private final EventParser parser;
    private final Function<String, ShardIngestor> ingestors;
    private final IngestMetrics metrics;
    private final Backoff backoff;
    private ShardIngestor ingestor;
    private String shardId;
    private long nextRetryAt;
    private int failures;

    public InteractionRecordProcessor(EventParser parser, Function<String, ShardIngestor> ingestors,
                                      IngestMetrics metrics, Backoff backoff) {
        this.parser = parser;
        this.ingestors = ingestors;
        this.metrics = metrics;
        this.backoff = backoff;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        ingestor = ingestors.apply(shardId);
        metrics.leasesHeld.inc();
        LOG.info("shard {} acquired at {}", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        MDC.put("shard", shardId);
        try {
            List<KinesisClientRecord> records = input.records();
            long now = System.currentTimeMillis();
            metrics.millisBehindLatest(shardId, input.millisBehindLatest(), now);
            Instant lastArrival = records.isEmpty() ? null : records.get(records.size() - 1).approximateArrivalTimestamp();
            metrics.lag(shardId, lastArrival == null ? null : lastArrival.toEpochMilli(), input.millisBehindLatest(), now);
            if (!records.isEmpty()) {
                metrics.recordsIn.mark(records.size());
                Instant first = records.get(0).approximateArrivalTimestamp();
                long firstArrival = first == null ? now : first.toEpochMilli();
                metrics.deliveryDelay.update(Math.max(0, now - firstArrival), java.util.concurrent.TimeUnit.MILLISECONDS);
                List<IngestedRecord> parsed = new ArrayList<>(records.size());
                for (KinesisClientRecord r : records) parsed.add(parse(r));
                ingestor.add(parsed, firstArrival);
            }
            flush(input.checkpointer(), false);
            // Back-pressure: above the buffer limit the shard waits for the stores instead of growing memory.
            while (ingestor.isOverBufferLimit() && !Thread.currentThread().isInterrupted()) {
                backoff.sleep(failures);
                flush(input.checkpointer(), false);
            }
        } finally {
            MDC.remove("shard");
        }
    }

    IngestedRecord parse(KinesisClientRecord r) {
        RecordPosition position = new RecordPosition(r.sequenceNumber(), r.subSequenceNumber());
        long arrival = r.approximateArrivalTimestamp() == null ? System.currentTimeMillis()
                : r.approximateArrivalTimestamp().toEpochMilli();
        byte[] data = new byte[r.data().remaining()];
        r.data().duplicate().get(data);
        ParseResult result = parser.parse(data, new RecordOrigin(shardId, r.sequenceNumber(), r.subSequenceNumber(), arrival));
        if (result instanceof ParseResult.Accepted a) return new IngestedRecord.Accepted(a.event(), position, true);
        if (result instanceof ParseResult.AcceptedExposure x) return new IngestedRecord.Exposed(x.exposure(), position, true);
        if (result instanceof ParseResult.AcceptedItem c) return new IngestedRecord.Cataloged(c.item(), position, true);
        if (result instanceof ParseResult.AcceptedUser u) return new IngestedRecord.UserCataloged(u.user(), position, true);
        ParseResult.Rejected rej = (ParseResult.Rejected) result; // ParseResult is sealed: every accepted kind is above
        return new IngestedRecord.Rejected(rej.reason(), rej.detail(), data, r.partitionKey(), position, arrival);
    }

    /** @return true when everything buffered is durable and checkpointed (or there was nothing) */
    private boolean flush(RecordProcessorCheckpointer checkpointer, boolean force) {
        long now = System.currentTimeMillis();
        if (!force && now < nextRetryAt) return false;
        try {
            Optional<RecordPosition> durable = ingestor.flushDue(force);
            failures = 0;
            nextRetryAt = 0;
            if (durable.isPresent()) {
                checkpointer.checkpoint(durable.get().sequenceNumber(), durable.get().subSequenceNumber());
            }
            return durable.isPresent() || ingestor.bufferedRecords() == 0;
        } catch (SinkException e) {
            failures++;
            nextRetryAt = now + backoff.delayMillis(failures);
            LOG.warn("shard {}: write failed ({} buffered records kept, attempt {}): {}", shardId,
                    ingestor.bufferedRecords(), failures, e.getMessage());
            return false;
        } catch (ShutdownException e) {
            LOG.info("shard {}: lease lost before checkpoint; another worker resumes from the last checkpoint", shardId);
            return false;
        } catch (InvalidStateException e) {
            LOG.error("shard {}: checkpoint store failure; will retry: {}", shardId, e.getMessage());
            nextRetryAt = now + backoff.delayMillis(++failures);
            return false;
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        // Cannot checkpoint any more: drop the buffer; the new owner replays from our last checkpoint,
        // and every store is idempotent for that replay. shardId may be null if initialize never ran.
        metrics.leasesLost.mark();
        release("lease lost");
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        // Resharding: everything must be durable, then the mandatory checkpoint at SHARD_END.
        flushUntilDone(input.checkpointer(), Long.MAX_VALUE);
        try {
            input.checkpointer().checkpoint();
        } catch (ShutdownException | InvalidStateException e) {
            LOG.warn("shard {}: SHARD_END checkpoint failed: {}", shardId, e.getMessage());
        }
        release("shard ended");
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        // Graceful shutdown (SIGTERM): flush and checkpoint so the next owner starts after our data.
        flushUntilDone(input.checkpointer(), System.currentTimeMillis() + backoff.shutdownBudgetMillis());
        release("shutdown");
    }

    private void flushUntilDone(RecordProcessorCheckpointer checkpointer, long deadline) {
        if (ingestor == null) return;
        while (!flush(checkpointer, true) && System.currentTimeMillis() < deadline) {
            if (ingestor.bufferedRecords() == 0) return;
            backoff.sleep(failures);
        }
    }

    private void release(String why) {
        if (shardId != null && ingestor != null) {
            int unwritten = ingestor.release();
            metrics.leasesHeld.dec();
            metrics.shardReleased(shardId);
            LOG.info("shard {}: released ({}); {} records read but not written go back to the next owner", shardId, why, unwritten);
        } else {
            LOG.info("shard {}: {}; nothing held (already released, or never initialised)", shardId, why);
        }
        ingestor = null;
    }
}
