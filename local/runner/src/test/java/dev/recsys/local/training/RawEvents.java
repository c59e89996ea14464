package dev.recsys.local.training;

import dev.recsys.common.event.EventJson;
import dev.recsys.common.event.Exposure;
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
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Writes records to the raw layout the KCL consumer produces: one gzip JSON Lines object per hour and "shard". */
final class RawEvents {

    private RawEvents() {}

    static List<InteractionEvent> synthetic(SyntheticWorkload.Config config) {
        List<InteractionEvent> out = new ArrayList<>();
        new SyntheticWorkload(config).forEach(out::add);
        return out;
    }

    static void upload(S3Client s3, String bucket, List<InteractionEvent> events, String shard) {
        upload(s3, bucket, events, InteractionEvent::timestampMillis,
                hour -> S3Layout.rawObjectKey(hour, shard, String.valueOf(hour), 0), EventJson::toJson);
    }

    static void uploadExposures(S3Client s3, String bucket, List<Exposure> exposures, String shard) {
        upload(s3, bucket, exposures, Exposure::timestampMillis,
                hour -> S3Layout.rawExposureObjectKey(hour, shard, String.valueOf(hour), 0), EventJson::toJson);
    }

    private static <T> void upload(S3Client s3, String bucket, List<T> records, ToLongFunction<T> time,
                                   LongFunction<String> keyOfHour, Function<T, String> json) {
        Map<String, StringBuilder> byKey = new LinkedHashMap<>();
        for (T r : records) {
            long t = time.applyAsLong(r);
            byKey.computeIfAbsent(keyOfHour.apply(t - Math.floorMod(t, 3_600_000L)), k -> new StringBuilder())
                    .append(json.apply(r)).append('\n');
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
