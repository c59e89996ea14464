package dev.recsys.local.training;

import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Writes events to the raw layout the KCL consumer produces: one gzip JSON Lines object per hour and "shard". */
final class RawEvents {

    private RawEvents() {}

    static List<InteractionEvent> synthetic(SyntheticWorkload.Config config) {
        List<InteractionEvent> out = new ArrayList<>();
        new SyntheticWorkload(config).forEach(out::add);
        return out;
    }

    static void upload(S3Client s3, String bucket, List<InteractionEvent> events, String shard) {
        Map<String, StringBuilder> byKey = new LinkedHashMap<>();
        for (InteractionEvent e : events) {
            long hour = e.timestampMillis() - Math.floorMod(e.timestampMillis(), 3_600_000L);
            byKey.computeIfAbsent(S3Layout.rawObjectKey(hour, shard, String.valueOf(hour), 0), k -> new StringBuilder())
                    .append(EventJson.toJson(e)).append('\n');
        }
        byKey.forEach((key, lines) -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(gzip(lines.toString()))));
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
