package dev.recsys.api.fallback;

import dev.recsys.api.personalize.SignedHttp;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;

/** Reads the published fallback document with a signed S3 GetObject; "not published yet" (404) is null. */
public final class S3Fetcher implements PopularItemsSource.Fetcher {

    private final SignedHttp http;
    private final URI objectUri;

    /**
     * @param endpoint null on AWS (virtual-hosted {@code https://bucket.s3.region.amazonaws.com}); the
     *                 emulator's URI offline (path-style)
     */
    public S3Fetcher(SignedHttp http, URI endpoint, String region, String bucket, String key) {
        this.http = http;
        String path = "/" + key;
        this.objectUri = endpoint == null
                ? URI.create("https://" + bucket + ".s3." + region + ".amazonaws.com" + path)
                : URI.create(endpoint.toString().replaceAll("/+$", "") + "/" + bucket + path);
    }

    @Override
    public byte[] fetch() throws IOException {
        SignedHttp.Response r = http.execute("s3", SdkHttpMethod.GET, objectUri, Map.of(), null, true);
        if (r.status() == 404) {
            return null;
        }
        if (r.status() != 200) {
            throw new IOException("S3 GetObject " + objectUri.getPath() + " answered " + r.status());
        }
        return r.body();
    }
}
