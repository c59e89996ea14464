package dev.recsys.consumer.aws;

import dev.recsys.common.redis.IamAuthTokens;
import dev.recsys.consumer.config.AwsSettings;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsAsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Builds every AWS client of the consumer from {@link AwsSettings}. The only differences between
 * AWS and offline mode live here: endpoint overrides, static credentials, path-style S3 and trusting
 * the Kinesis emulator's self-signed certificate.
 */
public final class ConsumerAwsClients implements AutoCloseable {

    private final AwsSettings settings;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final ClientOverrideConfiguration overrides;
    private final SdkAsyncHttpClient sharedHttp;

    /** @param dataInterceptors applied to the clients of the data stores only (never to the KCL's own clients) */
    public ConsumerAwsClients(AwsSettings settings, java.util.List<ExecutionInterceptor> dataInterceptors) {
        this.settings = settings;
        this.region = Region.of(settings.region);
        this.credentials = settings.hasStaticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId, settings.secretAccessKey))
                : DefaultCredentialsProvider.builder().build();
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(Duration.ofSeconds(10))
                .apiCallTimeout(Duration.ofSeconds(30));
        dataInterceptors.forEach(o::addExecutionInterceptor);
        this.overrides = o.build();
        this.sharedHttp = NettyNioAsyncHttpClient.builder().maxConcurrency(128).build();
    }

    /** The cache user's IAM tokens, signed with the same credentials as every client here. */
    public IamAuthTokens cacheTokens(String cacheName, String user) {
        return IamAuthTokens.of(cacheName, user, region.id(), credentials);
    }

    public KinesisAsyncClient kinesis() {
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .protocol(Protocol.HTTP2)
                .maxConcurrency(Integer.MAX_VALUE)
                .http2Configuration(h -> h.initialWindowSize(512 * 1024).healthCheckPingPeriod(Duration.ofSeconds(10)));
        SdkAsyncHttpClient client;
        if (settings.trustAllCertificates) {
            // Offline only: kinesis-mock serves HTTP/2 over TLS with a self-signed certificate and needs ALPN.
            http.protocolNegotiation(ProtocolNegotiation.ALPN);
            client = http.buildWithDefaults(AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build());
        } else {
            client = http.build();
        }
        return configure(KinesisAsyncClient.builder().httpClient(client), settings.kinesisEndpoint, false).build();
    }

    /** DynamoDB for the KCL's lease table: no data-store interceptors. */
    public DynamoDbAsyncClient leaseDynamoDb() {
        return configure(DynamoDbAsyncClient.builder().httpClient(sharedHttp), settings.dynamoDbEndpoint, false).build();
    }

    public CloudWatchAsyncClient cloudWatch() {
        return configure(CloudWatchAsyncClient.builder().httpClient(sharedHttp), settings.cloudWatchEndpoint, false).build();
    }

    public DynamoDbAsyncClient dataDynamoDb() {
        return configure(DynamoDbAsyncClient.builder().httpClient(sharedHttp), settings.dynamoDbEndpoint, true).build();
    }

    public S3AsyncClient s3() {
        return configure(S3AsyncClient.builder().httpClient(sharedHttp)
                .forcePathStyle(settings.s3Endpoint != null && !settings.s3Endpoint.isBlank()), settings.s3Endpoint, true).build();
    }

    public PersonalizeEventsAsyncClient personalizeEvents() {
        return configure(PersonalizeEventsAsyncClient.builder().httpClient(sharedHttp), settings.personalizeEventsEndpoint, false).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsAsyncClientBuilder<B, ?>> B configure(B builder, String endpoint, boolean data) {
        builder.region(region).credentialsProvider(credentials);
        if (data) {
            builder.overrideConfiguration(overrides);
        }
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }

    @Override
    public void close() {
        sharedHttp.close();
    }
}
