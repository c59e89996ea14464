package dev.recsys.api.personalize;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;

/**
 * SDK clients on the URL-connection HTTP client (small, no Netty/Apache, fast to start). Endpoints
 * are overridden offline; the code is otherwise identical. One SDK retry at most: the time budget is
 * the TimeLimiter's, and a retry mainly rescues a keep-alive socket gone stale across a snapshot.
 */
public final class AwsClients {

    private AwsClients() {}

    /**
     * Endpoint URIs are null on AWS (the service's regional endpoint) and the emulator's URI offline.
     */
    public record Endpoints(Region region, AwsCredentialsProvider credentials, URI personalize, URI s3, URI dynamodb) {

        public static Endpoints aws(Region region) {
            return new Endpoints(region, DefaultCredentialsProvider.builder().build(), null, null, null);
        }
    }

    public static SdkHttpClient httpClient(Duration timeout) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(timeout)
                .socketTimeout(timeout)
                .build();
    }

    private static ClientOverrideConfiguration overrides(Duration timeout) {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(timeout)
                .retryStrategy(b -> b.maxAttempts(2))
                .build();
    }

    public static PersonalizeRuntimeClient personalize(Endpoints e, SdkHttpClient http, Duration timeout) {
        var b = PersonalizeRuntimeClient.builder().region(e.region()).credentialsProvider(e.credentials())
                .httpClient(http).overrideConfiguration(overrides(timeout));
        if (e.personalize() != null) {
            b.endpointOverride(e.personalize());
        }
        return b.build();
    }

    public static SignedHttp signed(Endpoints e, SdkHttpClient http) {
        return new SignedHttp(http, e.credentials(), e.region().id());
    }
}
