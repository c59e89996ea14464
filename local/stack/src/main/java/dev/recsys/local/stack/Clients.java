package dev.recsys.local.stack;

import java.time.Duration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.Http2Configuration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.AttributeMap;

/** Builds SDK clients for the stack's endpoints: static fake credentials, us-east-1, loopback only. */
final class Clients {

    private Clients() {}

    /** HTTP/2 over TLS with ALPN (the KCL's transport); trusts kinesis-mock's self-signed certificate. */
    static KinesisAsyncClient kinesisAsync(Endpoints e) {
        SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
                .protocol(Protocol.HTTP2)
                .protocolNegotiation(ProtocolNegotiation.ALPN)
                .maxConcurrency(Integer.MAX_VALUE)
                .http2Configuration(Http2Configuration.builder()
                        .initialWindowSize(512 * 1024)
                        .healthCheckPingPeriod(Duration.ofSeconds(10))
                        .build())
                .buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE)
                        .build());
        return KinesisAsyncClient.builder()
                .endpointOverride(Endpoints.require(e.kinesis(), Service.KINESIS))
                .region(e.awsRegion())
                .credentialsProvider(e.credentialsProvider())
                .httpClient(http)
                .build();
    }

    static KinesisClient kinesis(Endpoints e) {
        return KinesisClient.builder()
                .endpointOverride(Endpoints.require(e.kinesisPlain(), Service.KINESIS))
                .region(e.awsRegion())
                .credentialsProvider(e.credentialsProvider())
                .httpClient(syncHttp())
                .build();
    }

    static DynamoDbClient dynamoDb(Endpoints e) {
        return DynamoDbClient.builder()
                .endpointOverride(Endpoints.require(e.dynamodb(), Service.DYNAMODB))
                .region(e.awsRegion())
                .credentialsProvider(e.credentialsProvider())
                .httpClient(syncHttp())
                .build();
    }

    static DynamoDbAsyncClient dynamoDbAsync(Endpoints e) {
        return DynamoDbAsyncClient.builder()
                .endpointOverride(Endpoints.require(e.dynamodb(), Service.DYNAMODB))
                .region(e.awsRegion())
                .credentialsProvider(e.credentialsProvider())
                .httpClient(NettyNioAsyncHttpClient.builder().build())
                .build();
    }

    static S3Client s3(Endpoints e) {
        return S3Client.builder()
                .endpointOverride(Endpoints.require(e.s3(), Service.S3))
                .region(e.awsRegion())
                .credentialsProvider(e.credentialsProvider())
                .forcePathStyle(true)
                .httpClient(syncHttp())
                .build();
    }

    static S3AsyncClient s3Async(Endpoints e) {
        return S3AsyncClient.builder()
                .endpointOverride(Endpoints.require(e.s3(), Service.S3))
                .region(e.awsRegion())
                .credentialsProvider(e.credentialsProvider())
                .forcePathStyle(true)
                .httpClient(NettyNioAsyncHttpClient.builder().build())
                .build();
    }

    private static SdkHttpClient syncHttp() {
        return Apache5HttpClient.builder().build();
    }
}
