package dev.recsys.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Objects in a map: enough S3 for the manifest read, the split's listing and read, and the fallback and split writes. */
final class FakeS3 implements S3Client {

    final Map<String, byte[]> objects = new HashMap<>();
    final Map<String, String> contentTypes = new HashMap<>();
    /** Every key written, in order: a rewrite shows as a second entry. */
    final List<String> puts = new ArrayList<>();

    @Override
    public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest r) {
        byte[] b = objects.get(r.bucket() + "/" + r.key());
        if (b == null) throw NoSuchKeyException.builder().message("no such key " + r.key()).build();
        return ResponseBytes.fromByteArray(GetObjectResponse.builder().build(), b);
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request r) {
        List<S3Object> found = objects.keySet().stream().filter(k -> k.startsWith(r.bucket() + "/" + r.prefix())).sorted()
                .limit(r.maxKeys() == null ? 1000 : r.maxKeys())
                .map(k -> S3Object.builder().key(k.substring(r.bucket().length() + 1)).build()).toList();
        return ListObjectsV2Response.builder().contents(found).keyCount(found.size()).build();
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest r, RequestBody body) {
        try (var in = body.contentStreamProvider().newStream()) {
            objects.put(r.bucket() + "/" + r.key(), in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        contentTypes.put(r.bucket() + "/" + r.key(), r.contentType());
        puts.add(r.key());
        return PutObjectResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {}
}
