package dev.recsys.api.published;

import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Reads a published document (the fallback list, the experiment split) from S3; "not published yet" is null. */
public final class S3Fetcher implements PublishedDocument.Fetcher {

    private final S3Client s3;
    private final String bucket;
    private final String key;

    public S3Fetcher(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public byte[] fetch() throws IOException {
        try {
            // Listed first: without an unconditional s3:ListBucket, GetObject of a missing key is 403, not 404, and
            // "not published yet" would look like a permission error. The role may list exactly this key as prefix.
            if (s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream().noneMatch(o -> o.key().equals(key))) {
                return null;
            }
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (SdkException e) {
            throw new IOException("S3 read of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }
}
