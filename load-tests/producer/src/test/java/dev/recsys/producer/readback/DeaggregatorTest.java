package dev.recsys.producer.readback;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.producer.protobuf.Messages;

class DeaggregatorTest {

    private static byte[] aggregate(boolean corruptDigest) throws Exception {
        byte[] body = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("user-1").addPartitionKeyTable("user-2")
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(1).setData(ByteString.copyFromUtf8("b")))
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0).setData(ByteString.copyFromUtf8("a")))
                .build().toByteArray();
        byte[] digest = MessageDigest.getInstance("MD5").digest(body);
        if (corruptDigest) {
            digest[0] ^= 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2});
        out.write(body);
        out.write(digest);
        return out.toByteArray();
    }

    @Test
    void splitsAnAggregatedRecordInOrderWithItsKeys() throws Exception {
        List<UserRecord> records = Deaggregator.split("shard-1", "42", "ignored", aggregate(false));
        assertThat(records).extracting(UserRecord::partitionKey).containsExactly("user-2", "user-1");
        assertThat(records).extracting(r -> new String(r.data(), StandardCharsets.UTF_8)).containsExactly("b", "a");
        assertThat(records).extracting(UserRecord::subSequence).containsExactly(0L, 1L);
        assertThat(records).allMatch(r -> r.aggregated() && r.shardId().equals("shard-1") && r.sequenceNumber().equals("42"));
    }

    @Test
    void aBadDigestOrPlainDataIsOneUnaggregatedRecord() throws Exception {
        byte[] corrupt = aggregate(true);
        assertThat(Deaggregator.split("s", "1", "pk", corrupt)).singleElement()
                .satisfies(r -> assertThat(r.data()).isEqualTo(corrupt)).matches(r -> !r.aggregated());
        byte[] plain = "{\"user_id\":\"u\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Deaggregator.split("s", "1", "pk", plain)).singleElement()
                .matches(r -> r.partitionKey().equals("pk") && !r.aggregated());
        assertThat(Deaggregator.split("s", "1", "pk", new byte[0])).hasSize(1);
    }
}
