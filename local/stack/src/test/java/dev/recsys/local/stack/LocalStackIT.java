package dev.recsys.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.local.stack.junit.WithLocalStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Every emulator of one shared stack accepts a real round trip through the SDK clients. */
@WithLocalStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackIT {

    private final LocalStack stack;
    private RedisClient redisClient;

    LocalStackIT(LocalStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void printStartup() {
        System.out.println("start(all) took " + stack.startupTime().toMillis() + " ms; " + stack.endpoints());
        assertThat(stack.childPids()).hasSize(3);
        redisClient = RedisClient.create();
    }

    @AfterAll
    void closeRedisClient() {
        redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Test
    void endpointsAreLoopbackOnDistinctPorts() {
        Endpoints e = stack.endpoints();
        List<Integer> ports = List.of(e.kinesis().getPort(), e.kinesisPlain().getPort(), e.dynamodb().getPort(),
                e.s3().getPort(), e.redisUri().getPort());
        assertThat(ports).doesNotHaveDuplicates().allMatch(p -> p > 0);
        assertThat(List.of(e.kinesis(), e.kinesisPlain(), e.dynamodb(), e.s3(), e.redisUri()))
                .allMatch(u -> u.getHost().equals("127.0.0.1"));
        assertThat(e.kinesis().getScheme()).isEqualTo("https");
        assertThat(e.redisUri().toString()).isEqualTo("redis://127.0.0.1:" + e.redisPort());
    }

    @Test
    void kinesisRoundTripOverPlainHttpAndHttp2() {
        stack.createStream("round-trip", 2);
        // createStream is idempotent for an existing stream
        stack.createStream("round-trip", 2);
        String shard = stack.kinesis().putRecord(b -> b.streamName("round-trip").partitionKey("user-1")
                .data(SdkBytes.fromUtf8String("{\"n\":1}"))).shardId();
        stack.kinesisAsync().putRecord(b -> b.streamName("round-trip").partitionKey("user-1")
                .data(SdkBytes.fromUtf8String("{\"n\":2}"))).join();

        String iterator = stack.kinesisAsync().getShardIterator(b -> b.streamName("round-trip").shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
        List<Record> records = stack.kinesisAsync().getRecords(b -> b.shardIterator(iterator)).join().records();
        assertThat(records).extracting(r -> r.data().asUtf8String()).containsExactly("{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void dynamoDbRoundTripSyncAndAsync() {
        stack.dynamoDb().createTable(b -> b.tableName("things")
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        awaitTableActive("things");
        stack.dynamoDb().putItem(b -> b.tableName("things").item(Map.of(
                "pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("42"))));
        Map<String, AttributeValue> item = stack.dynamoDbAsync()
                .getItem(b -> b.tableName("things").key(Map.of("pk", AttributeValue.fromS("a")))).join().item();
        assertThat(item.get("n").n()).isEqualTo("42");
    }

    private void awaitTableActive(String table) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stack.dynamoDb().describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            assertThat(System.nanoTime()).as("table ACTIVE in time").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void s3RoundTripIncludingMultipartUpload() {
        stack.createBucket("data");
        stack.createBucket("data");
        stack.s3().putObject(b -> b.bucket("data").key("raw/a.txt"), RequestBody.fromString("hello"));
        assertThat(stack.s3().getObjectAsBytes(b -> b.bucket("data").key("raw/a.txt")).asUtf8String())
                .isEqualTo("hello");

        byte[] part1 = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(part1);
        byte[] part2 = "tail".getBytes(StandardCharsets.UTF_8);
        String uploadId = stack.s3().createMultipartUpload(b -> b.bucket("data").key("big.bin")).uploadId();
        String etag1 = stack.s3().uploadPart(b -> b.bucket("data").key("big.bin").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1)).eTag();
        String etag2 = stack.s3().uploadPart(b -> b.bucket("data").key("big.bin").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(part2)).eTag();
        stack.s3().completeMultipartUpload(b -> b.bucket("data").key("big.bin").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                        CompletedPart.builder().partNumber(2).eTag(etag2).build())));

        byte[] whole = stack.s3().getObjectAsBytes(b -> b.bucket("data").key("big.bin")).asByteArray();
        assertThat(whole).hasSize(part1.length + part2.length);
        assertThat(java.util.Arrays.copyOfRange(whole, 0, part1.length)).isEqualTo(part1);
        assertThat(java.util.Arrays.copyOfRange(whole, part1.length, whole.length)).isEqualTo(part2);

        assertThatThrownBy(() -> stack.s3().getObjectAsBytes(b -> b.bucket("data").key("missing")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void redisRoundTripAndStopStartOnTheSamePort() {
        RedisURI uri = RedisURI.create(stack.endpoints().redisUri());
        uri.setTimeout(Duration.ofSeconds(2));
        try (StatefulRedisConnection<String, String> c = redisClient.connect(uri)) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
            c.sync().set("k", "v");
            assertThat(c.sync().get("k")).isEqualTo("v");
        }
        int port = stack.endpoints().redisPort();
        long oldPid = stack.childPids().stream().filter(pid -> isRedis(pid)).findFirst().orElseThrow();

        stack.stopRedis();
        assertThat(stack.redisRunning()).isFalse();
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThatThrownBy(() -> redisClient.connect(uri).close()).isInstanceOf(RedisConnectionException.class);

        stack.startRedis();
        assertThat(stack.endpoints().redisPort()).isEqualTo(port);
        try (StatefulRedisConnection<String, String> c = redisClient.connect(uri)) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
            assertThat(c.sync().get("k")).as("a restarted Redis is empty").isNull();
        }
    }

    /**
     * A client killed in the middle of a request (a consumer SIGKILLed mid-write, as the crash tests do) resets its
     * connections; no emulator may go down for the other clients. dynalite 4.0.0 alone used to exit on this.
     */
    @Test
    void aClientKilledMidRequestStopsNoEmulator() throws Exception {
        Endpoints e = stack.endpoints();
        for (int attempt = 0; attempt < 3; attempt++) {
            resetMidRequest(e.dynamodb().getPort(), awsJsonStart("DynamoDB_20120810.ListTables"));
            resetMidRequest(e.kinesisPlain().getPort(), awsJsonStart("Kinesis_20131202.ListStreams"));
            resetMidRequest(e.s3().getPort(), "PUT /b/k HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nabc");
            resetMidRequest(e.redisPort(), "*3\r\n$3\r\nSET\r\n$1\r\nk");
        }
        Thread.sleep(500); // an emulator that crashes on a reset does so at once
        assertThat(stack.exitedEmulators()).isEmpty();
        assertThat(stack.dynamoDb().listTables().tableNames()).isNotNull();
        assertThat(stack.kinesis().listStreams().streamNames()).isNotNull();
        assertThat(stack.s3().listBuckets().buckets()).isNotNull();
        try (StatefulRedisConnection<String, String> c = redisClient.connect(RedisURI.create(e.redisUri()))) {
            assertThat(c.sync().ping()).isEqualTo("PONG");
        }
    }

    private static String awsJsonStart(String target) {
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: " + target
                + "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 1000\r\n\r\n{\"Limit";
    }

    /** Sends the start of a request, then closes with a TCP reset (SO_LINGER 0), as happens when a client is killed. */
    private static void resetMidRequest(int port, String start) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(100); // the server has read the headers and waits for the rest of the body
            s.setSoLinger(true, 0);
        }
    }

    private static boolean isRedis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.contains("redis")).orElse(false);
    }
}
