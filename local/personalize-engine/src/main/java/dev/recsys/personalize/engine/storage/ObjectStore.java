package dev.recsys.personalize.engine.storage;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 side of the engine: dataset files to import, model artefacts to keep. */
public final class ObjectStore implements AutoCloseable {

    /** An {@code s3://bucket/key-or-prefix} location. */
    public record S3Location(String bucket, String key) {
        public static S3Location parse(String uri) {
            if (uri == null || !uri.startsWith("s3://")) throw new IllegalArgumentException("not an s3:// URI: " + uri);
            String rest = uri.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            if (bucket.isEmpty()) throw new IllegalArgumentException("no bucket in " + uri);
            return new S3Location(bucket, slash < 0 ? "" : rest.substring(slash + 1));
        }

        @Override
        public String toString() {
            return "s3://" + bucket + "/" + key;
        }
    }

    private final S3Client s3;

    public ObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * The CSV objects of a data location: the object itself when the key names one, else every
     * object under the prefix (Personalize accepts both), skipping folder markers. Sorted by key.
     */
    public List<S3Location> csvObjects(S3Location location) {
        List<S3Location> out = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(location.bucket()).prefix(location.key()).continuationToken(token).build());
            for (S3Object o : page.contents()) {
                boolean exact = o.key().equals(location.key());
                boolean underPrefix = location.key().isEmpty() || location.key().endsWith("/")
                        || o.key().startsWith(location.key() + "/");
                if (o.key().endsWith("/") || !(exact || underPrefix)) continue;
                if (exact) return List.of(new S3Location(location.bucket(), o.key()));
                if (o.key().endsWith(".csv") || o.key().endsWith(".csv.gz")) out.add(new S3Location(location.bucket(), o.key()));
            }
            token = page.nextContinuationToken();
        } while (token != null);
        return out;
    }

    /** UTF-8 text of an object, gunzipped when its key ends in .gz. */
    public BufferedReader openText(S3Location object) throws java.io.IOException {
        InputStream in = s3.getObject(b -> b.bucket(object.bucket()).key(object.key()));
        if (object.key().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    public void put(String bucket, String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    /** The object's content stream, or null when it does not exist. */
    public ResponseInputStream<GetObjectResponse> getOrNull(String bucket, String key) {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return null;
            throw e;
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
