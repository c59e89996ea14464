package dev.recsys.training;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** SDK clients on the small URL-connection HTTP client; endpoint overrides only for the offline stack. */
public final class TrainingAwsClients {

    private TrainingAwsClients() {}

    public static PersonalizeClient personalize(TrainingConfig config, AwsCredentialsProvider credentials) {
        PersonalizeClientBuilder b = PersonalizeClient.builder().region(Region.of(config.region())).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.personalizeEndpoint() != null) b.endpointOverride(config.personalizeEndpoint());
        return b.build();
    }

    public static S3Client s3(TrainingConfig config, AwsCredentialsProvider credentials) {
        S3ClientBuilder b = S3Client.builder().region(Region.of(config.region())).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.s3Endpoint() != null) b.endpointOverride(config.s3Endpoint()).forcePathStyle(true);
        return b.build();
    }

    public static DynamoDbClient dynamoDb(TrainingConfig config, AwsCredentialsProvider credentials) {
        DynamoDbClientBuilder b = DynamoDbClient.builder().region(Region.of(config.region())).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (config.dynamoDbEndpoint() != null) b.endpointOverride(config.dynamoDbEndpoint());
        return b.build();
    }
}
