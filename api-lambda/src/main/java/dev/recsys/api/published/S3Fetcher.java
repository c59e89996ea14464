package dev.recsys.api.published;

import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Reads a published document (the fallback list, the experiment split) with S3 GetObject; "not published yet" is null. */
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
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (SdkException e) {
            throw new IOException("S3 GetObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }
}
