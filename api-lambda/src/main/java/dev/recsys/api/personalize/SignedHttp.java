package dev.recsys.api.personalize;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * One SigV4-signed request on the shared URL-connection client, using the SDK's own signer. For the
 * two single calls the API makes outside Personalize (an S3 GetObject, a DynamoDB GetItem), where
 * the full SDK modules would cost 6.4 MB of Lambda jar.
 */
public final class SignedHttp {

    /** Status and body (capped); enough for small JSON documents. */
    public record Response(int status, byte[] body) {}

    private static final int MAX_BODY = 1 << 20;

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public SignedHttp(SdkHttpClient http, AwsCredentialsProvider credentials, String region) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
    }

    /**
     * @param s3 S3 signs the path as-is (no double encoding or normalization) and wants the payload hash header
     */
    public Response execute(String service, SdkHttpMethod method, URI uri, Map<String, String> headers, byte[] body,
                            boolean s3) throws IOException {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(method).uri(uri);
        headers.forEach(request::putHeader);
        ContentStreamProvider payload = body == null ? null : ContentStreamProvider.fromByteArray(body);
        if (body != null) {
            request.putHeader("Content-Length", Integer.toString(body.length));
        }
        if (s3) {
            request.putHeader("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        }
        SignedRequest signed = signer.sign(r -> r
                .identity(credentials.resolveIdentity().join())
                .request(request.build())
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3));
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build()).call();
        byte[] bytes = new byte[0];
        if (response.responseBody().isPresent()) {
            try (InputStream in = response.responseBody().get()) {
                bytes = in.readNBytes(MAX_BODY);
            }
        }
        return new Response(response.httpResponse().statusCode(), bytes);
    }
}
