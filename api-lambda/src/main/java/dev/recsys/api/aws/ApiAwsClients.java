package dev.recsys.api.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SDK clients on the URL-connection HTTP client (small, no Netty/Apache, fast to start). Endpoints
 * are overridden offline; the code is otherwise identical. Calls on a request's path (Personalize,
 * the cold-start reads) get one retry at most within the request budget: a retry mainly rescues a
 * keep-alive socket gone stale across a snapshot. Background calls (the fallback list, exposures)
 * get more time and the SDK's standard retries.
 */
public final class ApiAwsClients {

    private ApiAwsClients() {}

    /** Endpoint URIs are null on AWS (the service's regional endpoint) and the emulator's URI offline. */
    public record Endpoints(Region region, AwsCredentialsProvider credentials, URI personalize, URI s3, URI dynamodb,
                            URI kinesis) {

        public static Endpoints aws(Region region) {
            return new Endpoints(region, DefaultCredentialsProvider.builder().build(), null, null, null, null);
        }
    }

    public static SdkHttpClient httpClient(Duration timeout) {
        return UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build();
    }

    /** Within a request's budget: at most two attempts, all of it bounded by {@code timeout}. */
    public static ClientOverrideConfiguration onRequestPath(Duration timeout) {
        return ClientOverrideConfiguration.builder().apiCallTimeout(timeout).retryStrategy(b -> b.maxAttempts(2)).build();
    }

    public static ClientOverrideConfiguration inBackground(Duration timeout) {
        return ClientOverrideConfiguration.builder().apiCallTimeout(timeout).build();
    }

    public static PersonalizeRuntimeClient personalize(Endpoints e, SdkHttpClient http, ClientOverrideConfiguration o) {
        return configure(PersonalizeRuntimeClient.builder(), e, e.personalize(), http, o).build();
    }

    public static DynamoDbClient dynamoDb(Endpoints e, SdkHttpClient http, ClientOverrideConfiguration o) {
        return configure(DynamoDbClient.builder(), e, e.dynamodb(), http, o).build();
    }

    public static S3Client s3(Endpoints e, SdkHttpClient http, ClientOverrideConfiguration o) {
        return configure(S3Client.builder().forcePathStyle(e.s3() != null), e, e.s3(), http, o).build();
    }

    public static KinesisClient kinesis(Endpoints e, SdkHttpClient http, ClientOverrideConfiguration o) {
        return configure(KinesisClient.builder(), e, e.kinesis(), http, o).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Endpoints e, URI endpoint, SdkHttpClient http, ClientOverrideConfiguration o) {
        builder.region(e.region()).credentialsProvider(e.credentials()).httpClient(http).overrideConfiguration(o);
        if (endpoint != null) builder.endpointOverride(endpoint);
        return builder;
    }
}
