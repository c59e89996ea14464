package dev.recsys.consumer.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import dev.recsys.consumer.record.IngestedRecord.Rejected;
import dev.recsys.consumer.record.IngestedRecord.UserCataloged;
import dev.recsys.consumer.record.RecordPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Raw events as gzip JSON Lines under {@code raw/interactions/dt=/hr=/} (by event time), exposures likewise under
 * {@code raw/exposures/}, item and user records under {@code raw/items/} and {@code raw/users/} (by update time), and
 * rejected records under {@code dead-letter/}: one object per shard per flush window and hour, named after the
 * window's first position, so a window replayed after a crash overwrites its own objects.
 */
public final class S3ArchiveStore implements ArchiveStore {

    private static final JsonFactory JSON = new JsonFactory();

    private final S3AsyncClient s3;
    private final String bucket;
    private final Retrier retrier;

    public S3ArchiveStore(S3AsyncClient s3, String bucket, Retrier retrier) {
        this.s3 = s3;
        this.bucket = bucket;
        this.retrier = retrier;
    }

    @Override
    public void archive(String shardId, RecordPosition windowStart, List<Accepted> events) {
        putByHour(events, a -> S3Layout.rawObjectKey(a.event().timestampMillis(), shardId,
                windowStart.sequenceNumber(), windowStart.subSequenceNumber()), a -> EventJson.toBytes(a.event()));
    }

    @Override
    public void archiveExposures(String shardId, RecordPosition windowStart, List<Exposed> exposures) {
        putByHour(exposures, x -> S3Layout.rawExposureObjectKey(x.exposure().timestampMillis(), shardId,
                windowStart.sequenceNumber(), windowStart.subSequenceNumber()), x -> EventJson.toBytes(x.exposure()));
    }

    @Override
    public void archiveItems(String shardId, RecordPosition windowStart, List<Cataloged> items) {
        putByHour(items, c -> S3Layout.rawItemObjectKey(c.updatedAt(), shardId,
                windowStart.sequenceNumber(), windowStart.subSequenceNumber()), c -> EventJson.toBytes(c.item()));
    }

    @Override
    public void archiveUsers(String shardId, RecordPosition windowStart, List<UserCataloged> users) {
        putByHour(users, u -> S3Layout.rawUserObjectKey(u.updatedAt(), shardId,
                windowStart.sequenceNumber(), windowStart.subSequenceNumber()), u -> EventJson.toBytes(u.user()));
    }

    /** One gzip JSON Lines object per key (the record's hour under its prefix), the records in their order. */
    private <T> void putByHour(List<T> records, Function<T, String> objectKey, Function<T, byte[]> line) {
        Map<String, List<T>> byHour = new TreeMap<>();
        for (T r : records) byHour.computeIfAbsent(objectKey.apply(r), k -> new ArrayList<>()).add(r);
        for (Map.Entry<String, List<T>> object : byHour.entrySet()) {
            put(object.getKey(), gzipLines(out -> {
                for (T r : object.getValue()) {
                    out.write(line.apply(r));
                    out.write('\n');
                }
            }));
        }
    }

    @Override
    public void deadLetter(String shardId, RecordPosition windowStart, List<Rejected> rejected) {
        if (rejected.isEmpty()) return;
        String key = S3Layout.deadLetterObjectKey(rejected.get(0).approximateArrivalMillis(), shardId,
                windowStart.sequenceNumber(), windowStart.subSequenceNumber());
        put(key, gzipLines(out -> {
            for (Rejected r : rejected) {
                out.write(deadLetterLine(shardId, r));
                out.write('\n');
            }
        }));
    }

    static byte[] deadLetterLine(String shardId, Rejected r) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(line)) {
            g.writeStartObject();
            g.writeStringField("reason", r.reason().name());
            g.writeStringField("detail", r.detail());
            g.writeStringField("shard_id", shardId);
            g.writeStringField("sequence_number", r.position().sequenceNumber());
            g.writeNumberField("sub_sequence_number", r.position().subSequenceNumber());
            g.writeStringField("partition_key", r.partitionKey());
            g.writeNumberField("approximate_arrival", r.approximateArrivalMillis());
            g.writeStringField("data_base64", Base64.getEncoder().encodeToString(r.data()));
            g.writeEndObject();
        }
        return line.toByteArray();
    }

    private interface LineWriter {
        void write(OutputStream out) throws IOException;
    }

    private static byte[] gzipLines(LineWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
            writer.write(gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void put(String key, byte[] body) {
        retrier.run("PutObject s3://" + bucket + "/" + key, () -> s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/gzip")
                        .metadata(Map.of("format", "jsonl")),
                AsyncRequestBody.fromBytes(body)).join());
    }
}
