package dev.recsys.api.fallback;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Reads the published fallback document from S3; "not published yet" is null, not an error. */
public final class S3Fetcher implements PopularItemsSource.Fetcher {

    private static final long MAX_BYTES = 1 << 20;

    private final S3Client s3;
    private final String bucket;
    private final String key;

    public S3Fetcher(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public byte[] fetch() throws Exception {
        try (var in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            if (in.response().contentLength() != null && in.response().contentLength() > MAX_BYTES) {
                throw new IllegalStateException("popular items document larger than 1 MiB");
            }
            return in.readNBytes((int) MAX_BYTES);
        } catch (NoSuchKeyException e) {
            return null;
        }
    }
}
