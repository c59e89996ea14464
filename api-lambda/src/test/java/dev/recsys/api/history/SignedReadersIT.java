package dev.recsys.api.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.api.fallback.PopularItems;
import dev.recsys.api.fallback.S3Fetcher;
import dev.recsys.api.personalize.AwsClients;
import dev.recsys.api.personalize.SignedHttp;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The signed S3 GetObject and DynamoDB GetItem against the emulators (S3Proxy verifies SigV4). */
@WithLocalStack(services = {Service.S3, Service.DYNAMODB})
class SignedReadersIT {

    @Test
    void fetchesThePublishedFallbackDocumentAndTreatsAbsenceAsNotPublished(LocalStack stack) throws Exception {
        stack.createBucket("recsys-data");
        String json = "{\"generated_at\":\"2026-11-25T06:00:00Z\",\"model_version\":\"sv-3\",\"items\":[{\"item_id\":\"i/1\",\"score\":2.5}]}";
        try (SdkHttpClient http = AwsClients.httpClient(Duration.ofSeconds(2))) {
            SignedHttp signed = new SignedHttp(http, stack.endpoints().credentialsProvider(), stack.endpoints().region());
            S3Fetcher fetcher = new S3Fetcher(signed, stack.endpoints().s3(), stack.endpoints().region(), "recsys-data",
                    PopularItems.S3_KEY);
            assertThat(fetcher.fetch()).as("not published yet").isNull();

            stack.s3().putObject(b -> b.bucket("recsys-data").key(PopularItems.S3_KEY), RequestBody.fromString(json));
            PopularItems p = PopularItems.parse(fetcher.fetch());
            assertThat(p.modelVersion()).isEqualTo("sv-3");
            assertThat(p.items().get(0).itemId()).isEqualTo("i/1");

            SignedHttp wrongKey = new SignedHttp(http,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "wrong-secret")), stack.endpoints().region());
            S3Fetcher rejected = new S3Fetcher(wrongKey, stack.endpoints().s3(), stack.endpoints().region(), "recsys-data",
                    PopularItems.S3_KEY);
            assertThatThrownBy(rejected::fetch).hasMessageContaining("answered 403");
        }
    }

    @Test
    void aUserWithoutAProfileRowIsAColdStart(LocalStack stack) {
        stack.dynamoDb().createTable(b -> b.tableName("user_profiles").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("user_id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("user_id").attributeType(ScalarAttributeType.S)));
        stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("user_profiles")); // CREATING until then
        stack.dynamoDb().putItem(b -> b.tableName("user_profiles").item(Map.of(
                "user_id", AttributeValue.fromS("known-1"), "events", AttributeValue.fromN("3"))));
        try (SdkHttpClient http = AwsClients.httpClient(Duration.ofSeconds(2))) {
            SignedHttp signed = new SignedHttp(http, stack.endpoints().credentialsProvider(), stack.endpoints().region());
            DynamoUserHistory history = new DynamoUserHistory(signed, stack.endpoints().dynamodb(), stack.endpoints().region(),
                    "user_profiles");
            assertThat(history.hasHistory("known-1")).isTrue();
            assertThat(history.hasHistory("never-seen")).isFalse();

            DynamoUserHistory missingTable = new DynamoUserHistory(signed, stack.endpoints().dynamodb(),
                    stack.endpoints().region(), "no_such_table");
            assertThat(missingTable.hasHistory("never-seen")).as("errors never turn users into cold starts").isTrue();
        }
    }
}
