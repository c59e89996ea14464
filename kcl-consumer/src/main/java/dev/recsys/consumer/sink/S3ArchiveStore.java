package dev.recsys.consumer.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.recsys.common.event.EventJson;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.consumer.record.IngestedRecord.Accepted;
import dev.recsys.consumer.record.IngestedRecord.Cataloged;
import dev.recsys.consumer.record.IngestedRecord.Exposed;
import dev.recsys.consumer.record.IngestedRecord.Rejected;
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
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Raw events as gzip JSON Lines under {@code raw/interactions/dt=/hr=/} (by event time), exposures
 * likewise under {@code raw/exposures/}, catalog records under {@code raw/items/} (by update time), and rejected
 * records under {@code dead-letter/}: one object per shard per flush window and hour, named after the
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
        Map<String, List<Accepted>> byHour = new TreeMap<>();
        for (Accepted a : events) {
            String key = S3Layout.rawObjectKey(a.event().timestampMillis(), shardId,
                    windowStart.sequenceNumber(), windowStart.subSequenceNumber());
            byHour.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<String, List<Accepted>> object : byHour.entrySet()) {
            put(object.getKey(), gzipLines(out -> {
                for (Accepted a : object.getValue()) {
                    out.write(EventJson.toBytes(a.event()));
                    out.write('\n');
                }
            }));
        }
    }

    @Override
    public void archiveExposures(String shardId, RecordPosition windowStart, List<Exposed> exposures) {
        Map<String, List<Exposed>> byHour = new TreeMap<>();
        for (Exposed x : exposures) {
            String key = S3Layout.rawExposureObjectKey(x.exposure().timestampMillis(), shardId,
                    windowStart.sequenceNumber(), windowStart.subSequenceNumber());
            byHour.computeIfAbsent(key, k -> new ArrayList<>()).add(x);
        }
        for (Map.Entry<String, List<Exposed>> object : byHour.entrySet()) {
            put(object.getKey(), gzipLines(out -> {
                for (Exposed x : object.getValue()) {
                    out.write(EventJson.toBytes(x.exposure()));
                    out.write('\n');
                }
            }));
        }
    }

    @Override
    public void archiveItems(String shardId, RecordPosition windowStart, List<Cataloged> items) {
        Map<String, List<Cataloged>> byHour = new TreeMap<>();
        for (Cataloged c : items) {
            String key = S3Layout.rawItemObjectKey(c.item().updatedAt(), shardId,
                    windowStart.sequenceNumber(), windowStart.subSequenceNumber());
            byHour.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<Cataloged>> object : byHour.entrySet()) {
            put(object.getKey(), gzipLines(out -> {
                for (Cataloged c : object.getValue()) {
                    out.write(EventJson.toBytes(c.item()));
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
