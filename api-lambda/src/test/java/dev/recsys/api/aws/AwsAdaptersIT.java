package dev.recsys.api.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.exposure.KinesisExposureLog;
import dev.recsys.api.fallback.PopularItems;
import dev.recsys.api.published.S3Fetcher;
import dev.recsys.api.catalog.DynamoItemCatalog;
import dev.recsys.api.core.ItemCatalog;
import dev.recsys.api.history.DynamoItemHistory;
import dev.recsys.api.history.DynamoUserInteractions;
import dev.recsys.api.history.DynamoUserHistory;
import dev.recsys.api.json.Json;
import dev.recsys.common.event.EventParser;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.event.ParseResult;
import dev.recsys.common.event.RecordOrigin;
import dev.recsys.common.keys.InteractionKeys;
import dev.recsys.common.keys.ItemKeys;
import dev.recsys.common.filter.FilterItem;
import dev.recsys.api.catalog.DynamoUserAttributes;
import dev.recsys.common.keys.UserKeys;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.keys.UserProfileKeys;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.local.stack.logs.CapturedLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The API's SDK adapters against the emulators, on the URL-connection client the Lambda uses. */
@WithLocalStack(services = {Service.S3, Service.DYNAMODB, Service.KINESIS})
class AwsAdaptersIT {

    private static ApiAwsClients.Endpoints endpoints(LocalStack stack) {
        var e = stack.endpoints();
        return new ApiAwsClients.Endpoints(e.awsRegion(), e.credentialsProvider(), null, e.s3(), e.dynamodb(), e.kinesisPlain());
    }

    @Test
    void fetchesThePublishedFallbackDocumentAndTreatsAbsenceAsNotPublished(LocalStack stack) throws Exception {
        stack.createBucket("recsys-data");
        String json = "{\"generated_at\":\"2026-11-25T06:00:00Z\",\"model_version\":\"sv-3\",\"items\":[{\"item_id\":\"i/1\",\"score\":2.5}]}";
        try (SdkHttpClient http = ApiAwsClients.httpClient(Duration.ofSeconds(2));
             S3Client s3 = ApiAwsClients.s3(endpoints(stack), http, ApiAwsClients.inBackground(Duration.ofSeconds(5)))) {
            S3Fetcher fetcher = new S3Fetcher(s3, "recsys-data", S3Layout.POPULAR_ITEMS_KEY);
            assertThat(fetcher.fetch()).as("not published yet").isNull();
            stack.s3().putObject(b -> b.bucket("recsys-data").key(S3Layout.POPULAR_ITEMS_KEY + ".tmp"), RequestBody.fromString("{}"));
            assertThat(fetcher.fetch()).as("a longer key with the same prefix is not the document").isNull();

            stack.s3().putObject(b -> b.bucket("recsys-data").key(S3Layout.POPULAR_ITEMS_KEY), RequestBody.fromString(json));
            PopularItems p = PopularItems.parse(fetcher.fetch());
            assertThat(p.modelVersion()).isEqualTo("sv-3");
            assertThat(p.items().get(0).itemId()).isEqualTo("i/1");

            var wrong = new ApiAwsClients.Endpoints(stack.endpoints().awsRegion(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "wrong-secret")), null,
                    stack.endpoints().s3(), null, null);
            try (S3Client rejected = ApiAwsClients.s3(wrong, http, ApiAwsClients.inBackground(Duration.ofSeconds(5)))) {
                assertThatThrownBy(() -> new S3Fetcher(rejected, "recsys-data", S3Layout.POPULAR_ITEMS_KEY).fetch())
                        .hasMessageContaining("403");
            }
        }
    }

    @Test
    void aUserWithoutAProfileRowIsAColdStartAndAnItemWithoutInteractionsIsUnknown(LocalStack stack) {
        stack.dynamoDb().createTable(b -> b.tableName("user_profiles").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(UserProfileKeys.PARTITION_KEY).keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName(UserProfileKeys.PARTITION_KEY).attributeType(ScalarAttributeType.S)));
        stack.dynamoDb().createTable(b -> b.tableName("interactions").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(InteractionKeys.PARTITION_KEY).keyType(KeyType.HASH),
                        k -> k.attributeName(InteractionKeys.SORT_KEY).keyType(KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName(InteractionKeys.PARTITION_KEY).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(InteractionKeys.SORT_KEY).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(InteractionKeys.ITEM_INDEX_PARTITION_KEY).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(InteractionKeys.EVENT_TIME).attributeType(ScalarAttributeType.N))
                .globalSecondaryIndexes(g -> g.indexName(InteractionKeys.ITEM_INDEX)
                        .keySchema(k -> k.attributeName(InteractionKeys.ITEM_INDEX_PARTITION_KEY).keyType(KeyType.HASH),
                                k -> k.attributeName(InteractionKeys.EVENT_TIME).keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
        stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("user_profiles")); // CREATING until then
        stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("interactions"));
        stack.dynamoDb().putItem(b -> b.tableName("user_profiles").item(Map.of(
                UserProfileKeys.PARTITION_KEY, AttributeValue.fromS("known-1"), "events", AttributeValue.fromN("3"))));
        stack.dynamoDb().putItem(b -> b.tableName("interactions").item(Map.of(
                InteractionKeys.PARTITION_KEY, AttributeValue.fromS("known-1"), InteractionKeys.SORT_KEY, AttributeValue.fromS("e1"),
                InteractionKeys.ITEM_INDEX_PARTITION_KEY, AttributeValue.fromS("item-7"),
                InteractionKeys.EVENT_TIME, AttributeValue.fromN("1764000000000"))));
        try (SdkHttpClient http = ApiAwsClients.httpClient(Duration.ofSeconds(2));
             DynamoDbClient dynamo = ApiAwsClients.dynamoDb(endpoints(stack), http, ApiAwsClients.onRequestPath(Duration.ofSeconds(2)))) {
            DynamoUserHistory history = new DynamoUserHistory(dynamo, "user_profiles");
            assertThat(history.hasHistory("known-1")).isTrue();
            assertThat(history.hasHistory("never-seen")).isFalse();
            assertThat(new DynamoUserHistory(dynamo, "no_such_table").hasHistory("never-seen"))
                    .as("errors never turn users into cold starts").isTrue();

            DynamoItemHistory items = new DynamoItemHistory(dynamo, "interactions");
            assertThat(items.isKnown("item-7")).isTrue();
            assertThat(items.isKnown("item-never")).isFalse();
            assertThat(new DynamoItemHistory(dynamo, "no_such_table").isKnown("item-never"))
                    .as("errors never turn items into unknowns").isTrue();
        }
    }

    @Test
    void theCatalogReadsLiveItemsAsThePipelineImportsThemAndAUsersHistoryByEventType(LocalStack stack) {
        stack.dynamoDb().createTable(b -> b.tableName("items").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(ItemKeys.PARTITION_KEY).keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName(ItemKeys.PARTITION_KEY).attributeType(ScalarAttributeType.S)));
        stack.dynamoDb().createTable(b -> b.tableName("history").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(InteractionKeys.PARTITION_KEY).keyType(KeyType.HASH),
                        k -> k.attributeName(InteractionKeys.SORT_KEY).keyType(KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName(InteractionKeys.PARTITION_KEY).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(InteractionKeys.SORT_KEY).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(InteractionKeys.EVENT_TIME).attributeType(ScalarAttributeType.N))
                .localSecondaryIndexes(l -> l.indexName(InteractionKeys.TIME_INDEX)
                        .keySchema(k -> k.attributeName(InteractionKeys.PARTITION_KEY).keyType(KeyType.HASH),
                                k -> k.attributeName(InteractionKeys.EVENT_TIME).keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("items"));
        stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("history"));
        stack.dynamoDb().putItem(b -> b.tableName("items").item(Map.of(
                ItemKeys.PARTITION_KEY, AttributeValue.fromS("book-1"), ItemKeys.REVISION, AttributeValue.fromS("r1"),
                ItemKeys.UPDATED_AT, AttributeValue.fromN("1764000000000"), ItemKeys.DELETED, AttributeValue.fromBool(false),
                ItemKeys.CATEGORY, AttributeValue.fromS("books"),
                ItemKeys.GENRES, AttributeValue.fromL(List.of(AttributeValue.fromS("comedy"), AttributeValue.fromS("drama"))),
                ItemKeys.PRICE, AttributeValue.fromN("12.5"), ItemKeys.CREATION_TIMESTAMP, AttributeValue.fromN("1700000000999"),
                ItemKeys.AVAILABLE, AttributeValue.fromBool(false))));
        stack.dynamoDb().putItem(b -> b.tableName("items").item(Map.of(
                ItemKeys.PARTITION_KEY, AttributeValue.fromS("gone-1"), ItemKeys.REVISION, AttributeValue.fromS("r2"),
                ItemKeys.UPDATED_AT, AttributeValue.fromN("1764000000000"), ItemKeys.DELETED, AttributeValue.fromBool(true))));
        for (int i = 0; i < 30; i++) {
            int n = i;
            stack.dynamoDb().putItem(b -> b.tableName("history").item(Map.of(
                    InteractionKeys.PARTITION_KEY, AttributeValue.fromS("u1"), InteractionKeys.SORT_KEY, AttributeValue.fromS("e" + n),
                    InteractionKeys.ITEM_INDEX_PARTITION_KEY, AttributeValue.fromS("item-" + (n % 3)),
                    "event_type", AttributeValue.fromS(n % 2 == 0 ? "click" : "purchase"),
                    InteractionKeys.EVENT_TIME, AttributeValue.fromN(Long.toString(1764000000000L + n)))));
        }
        try (SdkHttpClient http = ApiAwsClients.httpClient(Duration.ofSeconds(2));
             DynamoDbClient dynamo = ApiAwsClients.dynamoDb(endpoints(stack), http, ApiAwsClients.onRequestPath(Duration.ofSeconds(2)))) {
            DynamoItemCatalog catalog = new DynamoItemCatalog(dynamo, "items");
            Map<String, ItemCatalog.Entry> read = catalog.items(List.of("book-1", "gone-1", "never"));
            assertThat(read).as("tombstones and unknown ids are absent").containsOnlyKeys("book-1");
            ItemCatalog.Entry book = read.get("book-1");
            assertThat(book.filterItem().categorical()).containsEntry("CATEGORY", List.of("books"))
                    .containsEntry("GENRES", List.of("comedy", "drama")).containsEntry("AVAILABLE", List.of("false"));
            assertThat(book.filterItem().numeric()).containsEntry("PRICE", 12.5).containsEntry("CREATION_TIMESTAMP", 1700000000.0);
            assertThat(book.metadata()).containsEntry("GENRES", "comedy|drama").containsEntry("CREATION_TIMESTAMP", "1700000000")
                    .doesNotContainKey("BRAND").doesNotContainKey("ITEM_ID");
            assertThatThrownBy(() -> new DynamoItemCatalog(dynamo, "no_such_table").items(List.of("book-1")))
                    .as("a filter must never guess").isInstanceOf(RuntimeException.class);

            DynamoUserInteractions history = new DynamoUserInteractions(dynamo, "history");
            assertThat(history.eventTypes("u1")).containsOnlyKeys("item-0", "item-1", "item-2")
                    .containsEntry("item-0", java.util.Set.of("click", "purchase"));
            assertThat(history.eventTypes("nobody")).isEmpty();
            assertThatThrownBy(() -> new DynamoUserInteractions(dynamo, "no_such_table").eventTypes("u1")).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void usersAttributesAreReadAsThePipelineImportsThemAndATombstoneIsAnUnknownUser(LocalStack stack) {
        stack.dynamoDb().createTable(b -> b.tableName("users").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(UserKeys.PARTITION_KEY).keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName(UserKeys.PARTITION_KEY).attributeType(ScalarAttributeType.S)));
        stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("users"));
        stack.dynamoDb().putItem(b -> b.tableName("users").item(Map.of(
                UserKeys.PARTITION_KEY, AttributeValue.fromS("u1"), UserKeys.REVISION, AttributeValue.fromS("r1"),
                UserKeys.UPDATED_AT, AttributeValue.fromN("1764000000000"), UserKeys.DELETED, AttributeValue.fromBool(false),
                UserKeys.MEMBERSHIP, AttributeValue.fromS("free"), UserKeys.AGE, AttributeValue.fromN("15"))));
        stack.dynamoDb().putItem(b -> b.tableName("users").item(Map.of(
                UserKeys.PARTITION_KEY, AttributeValue.fromS("gone"), UserKeys.REVISION, AttributeValue.fromS("r2"),
                UserKeys.UPDATED_AT, AttributeValue.fromN("1764000000000"), UserKeys.DELETED, AttributeValue.fromBool(true))));
        try (SdkHttpClient http = ApiAwsClients.httpClient(Duration.ofSeconds(2));
             DynamoDbClient dynamo = ApiAwsClients.dynamoDb(endpoints(stack), http, ApiAwsClients.onRequestPath(Duration.ofSeconds(2)))) {
            DynamoUserAttributes users = new DynamoUserAttributes(dynamo, "users");
            FilterItem u1 = users.of("u1");
            assertThat(u1.categorical()).isEqualTo(Map.of("MEMBERSHIP", List.of("free")));
            assertThat(u1.numeric()).isEqualTo(Map.of("AGE", 15.0));
            assertThat(users.of("gone")).isEqualTo(FilterItem.EMPTY);
            assertThat(users.of("never")).isEqualTo(FilterItem.EMPTY);
            assertThatThrownBy(() -> new DynamoUserAttributes(dynamo, "no_such_table").of("u1"))
                    .as("a filter must never guess").isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void exposuresReachTheStreamBatchedAndKeyedByUser(LocalStack stack) throws Exception {
        stack.createStream("exposures-it", 2);
        List<Exposure> sent = new ArrayList<>();
        try (CapturedLog log = CapturedLog.start();
             SdkHttpClient http = ApiAwsClients.httpClient(Duration.ofSeconds(5));
             KinesisClient kinesis = ApiAwsClients.kinesis(endpoints(stack), http, ApiAwsClients.inBackground(Duration.ofSeconds(5)));
             KinesisExposureLog exposures = new KinesisExposureLog(kinesis, "exposures-it", 1_000, Duration.ofMillis(50), 4)) {
            for (int i = 0; i < 120; i++) {
                Exposure x = new Exposure("rec-" + i, System.currentTimeMillis(), Exposure.USER_RECOMMENDATIONS, "exp-1",
                        i % 2 == 0 ? "a" : "b", "arn:aws:personalize:us-east-1:000000000000:campaign/recsys-a", "run-1",
                        "RID-" + i, "personalize", null, "user-" + (i % 7), null, List.of("item-1", "item-2"), i % 3 == 0);
                assertThat(exposures.record(x)).isTrue();
                sent.add(x);
            }
            assertThat(exposures.drain(Duration.ofSeconds(20))).as("drained").isTrue();
            assertThat(exposures.stats().sent()).isEqualTo(120);
            assertThat(exposures.stats().dropped()).isZero();
            assertThat(log.lines()).as("no PutRecords failure or drop logged").isEmpty();
        }
        List<software.amazon.awssdk.services.kinesis.model.Record> records = new ArrayList<>();
        for (var shard : stack.kinesis().listShards(b -> b.streamName("exposures-it")).shards()) {
            String it = stack.kinesis().getShardIterator(b -> b.streamName("exposures-it").shardId(shard.shardId())
                    .shardIteratorType("TRIM_HORIZON")).shardIterator();
            var page = stack.kinesis().getRecords(b -> b.shardIterator(it).limit(1_000));
            records.addAll(page.records());
        }
        assertThat(records).hasSize(120);
        EventParser parser = new EventParser();
        List<Exposure> back = new ArrayList<>();
        for (var r : records) {
            ParseResult p = parser.parse(r.data().asByteArray(), new RecordOrigin("s", r.sequenceNumber(), 0, System.currentTimeMillis()));
            assertThat(p).isInstanceOf(ParseResult.AcceptedExposure.class);
            Exposure x = ((ParseResult.AcceptedExposure) p).exposure();
            assertThat(r.partitionKey()).isEqualTo(x.userId());
            back.add(x);
        }
        assertThat(back).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void aStuckStreamFillsTheQueueAndDropsAreCountedInsteadOfWaitedFor(LocalStack stack) throws Exception {
        // A Kinesis that accepts connections and never answers: the sender is stuck in its first call.
        try (java.net.ServerSocket blackhole = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             SdkHttpClient http = ApiAwsClients.httpClient(Duration.ofSeconds(2))) {
            var e = stack.endpoints();
            var stuck = new ApiAwsClients.Endpoints(e.awsRegion(), e.credentialsProvider(), null, null, null,
                    java.net.URI.create("http://127.0.0.1:" + blackhole.getLocalPort()));
            try (KinesisClient kinesis = ApiAwsClients.kinesis(stuck, http, ApiAwsClients.inBackground(Duration.ofSeconds(2)));
                 KinesisExposureLog exposures = new KinesisExposureLog(kinesis, "exposures-it", 5, Duration.ZERO, 1)) {
                // One exposure first, and wait until its PutRecords has connected: from then on the sender takes nothing,
                // so exactly the queue's capacity is accepted whatever the timing.
                assertThat(exposures.record(exposure("rec-first"))).isTrue();
                blackhole.setSoTimeout(10_000);
                try (java.net.Socket call = blackhole.accept()) {
                    long start = System.nanoTime();
                    int accepted = 0;
                    for (int i = 0; i < 50; i++) {
                        if (exposures.record(exposure("rec-" + i))) accepted++;
                    }
                    assertThat((System.nanoTime() - start) / 1_000_000).as("recording never waits").isLessThan(200);
                    assertThat(accepted).as("the queue's capacity").isEqualTo(5);
                    assertThat(exposures.stats().dropped()).isEqualTo(45);
                    assertThat(exposures.stats().queued()).as("the stuck call's one and the full queue").isEqualTo(6);
                    assertThat(exposures.drain(Duration.ofMillis(300))).as("nothing can be sent").isFalse();
                }
            }
        }
    }

    private static Exposure exposure(String id) {
        return new Exposure(id, System.currentTimeMillis(), Exposure.RANKINGS, "exp-1", "ranking", null, null, null, "fallback",
                "cold_start", "u1", null, List.of("i1"), false);
    }
}
