package dev.recsys.local.stack;

import dev.recsys.local.stack.process.LocalStackException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Start, stop, parallel stacks, persistence and start failures. */
class LocalStackLifecycleIT {

    @Test
    void twoStacksInParallelGetDifferentPortsAndCloseLeavesNoProcess() {
        CompletableFuture<LocalStack> a = CompletableFuture.supplyAsync(() -> LocalStack.start(StackOptions.all()));
        CompletableFuture<LocalStack> b = CompletableFuture.supplyAsync(() -> LocalStack.start(StackOptions.all()));
        List<Long> pids = new ArrayList<>();
        Path dirA;
        Path dirB;
        try (LocalStack one = a.join(); LocalStack two = b.join()) {
            System.out.printf("parallel start(all): %d ms and %d ms%n", one.startupTime().toMillis(),
                    two.startupTime().toMillis());
            assertThat(ports(one)).doesNotContainAnyElementsOf(ports(two));
            assertThat(one.stateDir()).isNotEqualTo(two.stateDir());
            pids.addAll(one.childPids());
            pids.addAll(two.childPids());
            assertThat(pids).hasSize(6).allMatch(pid -> ProcessHandle.of(pid).isPresent());
            dirA = one.stateDir();
            dirB = two.stateDir();
            // each stack really is separate: a bucket in one is not in the other
            one.createBucket("only-in-one");
            assertThat(two.s3().listBuckets().buckets()).isEmpty();
        }
        assertThat(pids).allMatch(pid -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        assertThat(dirA).doesNotExist();
        assertThat(dirB).doesNotExist();
    }

    @Test
    void startAllIsMeasured() {
        try (LocalStack stack = LocalStack.start(StackOptions.all())) {
            System.out.println("{\"metric\":\"local_stack_start_all_ms\",\"value\":" + stack.startupTime().toMillis() + "}");
            assertThat(stack.startupTime()).isPositive();
        }
    }

    @Test
    void closeIsIdempotentAndTheStackRefusesNewWork() {
        LocalStack stack = LocalStack.start(StackOptions.of(Service.REDIS));
        stack.close();
        stack.close();
        assertThat(stack.childPids()).isEmpty();
        assertThatThrownBy(stack::startRedis).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlySelectedServicesStart() {
        try (LocalStack stack = LocalStack.start(StackOptions.of(Service.S3, Service.DYNAMODB))) {
            assertThat(stack.endpoints().kinesis()).isNull();
            assertThat(stack.endpoints().redisUri()).isNull();
            assertThat(stack.childPids()).hasSize(1);
            assertThatThrownBy(stack::kinesis).isInstanceOf(IllegalStateException.class).hasMessageContaining("KINESIS");
            assertThatThrownBy(stack::stopRedis).isInstanceOf(IllegalStateException.class).hasMessageContaining("REDIS");
            assertThat(stack.s3().listBuckets().buckets()).isEmpty();
        }
    }

    @Test
    void namedStateDirKeepsDataAcrossRuns(@TempDir Path dir) {
        StackOptions options = StackOptions.of(Service.DYNAMODB, Service.S3).withStateDir(dir);
        try (LocalStack stack = LocalStack.start(options)) {
            stack.dynamoDb().createTable(b -> b.tableName("kept")
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                    .attributeDefinitions(d -> d.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .billingMode("PAY_PER_REQUEST"));
            stack.dynamoDb().waiter().waitUntilTableExists(b -> b.tableName("kept"));
            stack.dynamoDb().putItem(b -> b.tableName("kept").item(Map.of("pk", AttributeValue.fromS("x"))));
            stack.createBucket("kept");
            stack.s3().putObject(b -> b.bucket("kept").key("k"), RequestBody.fromString("v"));
        }
        assertThat(dir.resolve("logs/dynamodb.log")).exists();
        try (LocalStack again = LocalStack.start(options)) {
            assertThat(again.dynamoDb().getItem(b -> b.tableName("kept").key(Map.of("pk", AttributeValue.fromS("x"))))
                    .hasItem()).isTrue();
            assertThat(again.s3().getObjectAsBytes(b -> b.bucket("kept").key("k")).asUtf8String()).isEqualTo("v");
        }
        assertThat(dir).exists();
    }

    @Test
    void aStartThatTimesOutSaysWhichProbeFailedAndHowBusyTheChildWas() {
        // 1 ms: the first probe round fails, so this is the message a stalled emulator produces on CI
        assertThatThrownBy(() -> LocalStack.start(StackOptions.of(Service.KINESIS).withStartupTimeout(Duration.ofMillis(1))))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("kinesis-mock on ports")
                .hasMessageContaining("not ready after 1 ms")
                .hasMessageContaining("plain port never answered, TLS port never answered")
                .hasMessageMatching("(?s).*alive, \\d+ ms CPU; log .*kinesis.* ends with:.*");
    }

    @Test
    void anEmulatorThatDiesAtStartFailsWithItsNameAndLog() {
        System.setProperty("recsys.redis.server", "/bin/false");
        try {
            assertThatThrownBy(() -> LocalStack.start(StackOptions.of(Service.REDIS, Service.S3)))
                    .isInstanceOf(LocalStackException.class)
                    .hasMessageContaining("redis-server exited with code 1");
        } finally {
            System.clearProperty("recsys.redis.server");
        }
    }

    @Test
    void anEmulatorThatDiesLaterIsReportedWithItsLogAndTheLogsAreKept() throws Exception {
        LocalStack stack = LocalStack.start(StackOptions.of(Service.DYNAMODB));
        Path stateDir = stack.stateDir();
        try {
            assertThat(stack.exitedEmulators()).isEmpty();
            ProcessHandle dynalite = ProcessHandle.of(stack.childPids().get(0)).orElseThrow();
            dynalite.destroyForcibly();
            dynalite.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(stack.exitedEmulators()).singleElement().asString()
                    .contains("dynalite (pid " + dynalite.pid() + ") exited with code 137")
                    .contains("Dynalite listening at");
            stack.close();
            assertThat(stateDir.resolve("logs/dynamodb.log")).as("kept for the diagnosis").exists();
        } finally {
            stack.close();
            LocalStack.deleteRecursively(stateDir);
        }
    }

    @Test
    void aStopIsNotADeath() {
        try (LocalStack stack = LocalStack.start(StackOptions.of(Service.REDIS))) {
            stack.stopRedis();
            stack.startRedis();
            stack.stopRedis();
            assertThat(stack.exitedEmulators()).isEmpty();
        }
    }

    @Test
    void aMissingToolsFolderIsAClearError(@TempDir Path empty) throws Exception {
        Files.writeString(empty.resolve("README"), "no package.json here");
        System.setProperty("recsys.local.dir", empty.toString());
        try {
            assertThatThrownBy(() -> LocalStack.start(StackOptions.of(Service.DYNAMODB)))
                    .isInstanceOf(LocalStackException.class)
                    .hasMessageContaining("has no package.json");
        } finally {
            System.clearProperty("recsys.local.dir");
        }
    }

    private static List<Integer> ports(LocalStack s) {
        Endpoints e = s.endpoints();
        return List.of(e.kinesis().getPort(), e.kinesisPlain().getPort(), e.dynamodb().getPort(), e.s3().getPort(),
                e.redisPort());
    }
}
