package dev.recsys.consumer.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.EventLimits;
import dev.recsys.common.event.EventParser;
import dev.recsys.common.event.RejectReason;
import dev.recsys.consumer.ingest.IngestMetrics;
import dev.recsys.consumer.record.IngestedRecord;
import dev.recsys.consumer.record.RecordPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/** The KCL shell's parse: every kind the parser accepts becomes its record, every rejection a dead-letter candidate. */
class InteractionRecordProcessorTest {

    static final long NOW = 1_780_000_000_000L;
    final InteractionRecordProcessor processor = new InteractionRecordProcessor(
            new EventParser(EventLimits.DEFAULT, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)), shardId -> null,
            new IngestMetrics(new MetricRegistry()), new Backoff(1, 1, 1));

    IngestedRecord parse(String partitionKey, byte[] data) {
        processor.initialize(InitializationInput.builder().shardId("shardId-000000000001").build());
        return processor.parse(KinesisClientRecord.builder().sequenceNumber("4965").subSequenceNumber(2).partitionKey(partitionKey)
                .approximateArrivalTimestamp(Instant.ofEpochMilli(NOW - 1_000)).data(ByteBuffer.wrap(data)).build());
    }

    @Test
    void userRecordsBecomeUserRecordsNotACastFailure() {
        CatalogUser upsert = CatalogUser.upsert("user-7", NOW - 5, "books", "plus", 34);
        assertThat(parse("user-7", EventJson.toBytes(upsert)))
                .isEqualTo(new IngestedRecord.UserCataloged(upsert, new RecordPosition("4965", 2), true));
        CatalogUser delete = CatalogUser.delete("user-7", NOW);
        assertThat(parse("user-7", EventJson.toBytes(delete))).isEqualTo(new IngestedRecord.UserCataloged(delete, new RecordPosition("4965", 2), true));
    }

    @Test
    void aBadUserRecordIsRejectedWithItsReasonAndItsOriginalBytes() {
        byte[] bad = ("{\"record_type\":\"user\",\"operation\":\"upsert\",\"user_id\":\"u1\",\"updated_at\":" + NOW + ",\"age\":151}")
                .getBytes(StandardCharsets.UTF_8);
        IngestedRecord r = parse("u1", bad);
        assertThat(r).isInstanceOf(IngestedRecord.Rejected.class);
        IngestedRecord.Rejected rejected = (IngestedRecord.Rejected) r;
        assertThat(rejected.reason()).isEqualTo(RejectReason.INVALID_FIELD_VALUE);
        assertThat(rejected.detail()).contains("age");
        assertThat(rejected.data()).isEqualTo(bad);
        assertThat(rejected.partitionKey()).isEqualTo("u1");
        assertThat(rejected.approximateArrivalMillis()).isEqualTo(NOW - 1_000);
    }

    @Test
    void itemRecordsStillBecomeItemRecords() {
        CatalogItem item = new CatalogItem("i1", CatalogItem.Operation.UPSERT, NOW - 5, "books", null, List.of(), null, NOW - 10, true, Map.of());
        assertThat(parse("i1", EventJson.toBytes(item))).isEqualTo(new IngestedRecord.Cataloged(item, new RecordPosition("4965", 2), true));
    }
}
