package dev.recsys.personalize.engine.control;

import static dev.recsys.personalize.engine.control.ResourceKind.DATASET_GROUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.config.EngineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status clock on its own: steps, work off the lock, failures, and every step saved. */
class LifecycleTest {

    @TempDir
    Path dir;

    private EngineConfig config;
    private ResourceStore store;
    private Lifecycle lifecycle;

    @BeforeEach
    void start() throws Exception {
        config = EngineConfig.local(dir, null, null, null, "models").withStepDelay(Duration.ofMillis(100));
        store = new ResourceStore(config, new ObjectMapper());
        lifecycle = new Lifecycle(store, config.stepDelay());
    }

    @AfterEach
    void stop() {
        lifecycle.close();
    }

    @Test
    void withoutWorkGoesPendingThenInProgressThenActiveAndSavesIt() throws Exception {
        String arn = create("plain");
        List<String> seen = new ArrayList<>();
        lifecycle.start(() -> store.find(DATASET_GROUP, arn), null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        // Polled by hand, from the first instant: each step lasts 100 ms, far longer than a poll.
        for (String s = status(arn); ; s = status(arn)) {
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) seen.add(s);
            if (s.equals(Lifecycle.ACTIVE) || System.nanoTime() > deadline) break;
            Thread.sleep(2);
        }
        assertThat(seen).containsSubsequence(Lifecycle.PENDING, Lifecycle.IN_PROGRESS, Lifecycle.ACTIVE);
        assertThat(new ResourceStore(config, new ObjectMapper()).get(DATASET_GROUP, arn).path("status").asText())
                .isEqualTo(Lifecycle.ACTIVE);
    }

    @Test
    void workRunsOffTheLockAndItsChangeLandsWhenActive() {
        String arn = create("worked");
        lifecycle.start(() -> store.find(DATASET_GROUP, arn), () -> {
            assertThat(Thread.holdsLock(store)).isFalse();
            return n -> n.put("trained", true);
        });
        awaitStatus(arn, Lifecycle.ACTIVE);
        assertThat(store.find(DATASET_GROUP, arn).path("trained").asBoolean()).isTrue();
    }

    @Test
    void aFailureOfTheWorkEndsInCreateFailedWithTheReason() {
        String expected = create("expected");
        String unexpected = create("unexpected");
        lifecycle.start(() -> store.find(DATASET_GROUP, expected), () -> {
            throw new ImportJob.Failure("The CSV has no header");
        });
        lifecycle.start(() -> store.find(DATASET_GROUP, unexpected), () -> {
            throw new IllegalStateException("boom");
        });
        awaitStatus(expected, Lifecycle.FAILED);
        awaitStatus(unexpected, Lifecycle.FAILED);
        assertThat(store.find(DATASET_GROUP, expected).path("failureReason").asText()).isEqualTo("The CSV has no header");
        assertThat(store.find(DATASET_GROUP, unexpected).path("failureReason").asText())
                .isEqualTo("Internal error: java.lang.IllegalStateException: boom");
    }

    @Test
    void aResourceDeletedMeanwhileIsLeftAlone() throws Exception {
        String arn = create("gone");
        lifecycle.start(() -> store.find(DATASET_GROUP, arn), null);
        synchronized (store) {
            store.delete(DATASET_GROUP, new ObjectMapper().createObjectNode().put("datasetGroupArn", arn));
        }
        Thread.sleep(200);
        assertThat(store.find(DATASET_GROUP, arn)).isNull();
    }

    private String create(String name) {
        String arn = store.arn(DATASET_GROUP, name);
        synchronized (store) {
            store.create(DATASET_GROUP, arn, name);
            store.persist();
        }
        return arn;
    }

    private String status(String arn) {
        synchronized (store) {
            ObjectNode n = store.find(DATASET_GROUP, arn);
            return n.path("status").asText();
        }
    }

    private void awaitStatus(String arn, String status) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> status(arn).equals(status));
    }
}
