package dev.recsys.api.resilience;

import dev.recsys.api.core.ModelOutcome;
import dev.recsys.api.core.ModelRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.api.core.FallbackReason;
import dev.recsys.api.support.ScriptedRecommender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

class GuardedRecommenderTest {

    private static final String ARN = "arn:aws:personalize:us-east-1:123456789012:campaign/c";

    private static ResilienceConfig config(long timeoutMs, int bulkhead, long openMs) {
        return new ResilienceConfig(Duration.ofMillis(timeoutMs), bulkhead, 4, 4, 50f, Duration.ofMillis(openMs), 2);
    }

    @Test
    void slowModelTimesOutWithinTheBudget() {
        ScriptedRecommender model = new ScriptedRecommender().delay(2_000);
        try (GuardedRecommender g = new GuardedRecommender(model, config(100, 4, 10_000))) {
            long start = System.nanoTime();
            ModelOutcome o = g.recommend(ModelRequest.plain(ARN, "u1", null, 5));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(o).isEqualTo(new ModelOutcome.Failed(FallbackReason.TIMEOUT, "java.util.concurrent.TimeoutException: "
                    + ((ModelOutcome.Failed) o).detail().substring("java.util.concurrent.TimeoutException: ".length())));
            assertThat(ms).isLessThan(800);
        }
    }

    @Test
    void repeatedServerErrorsOpenTheBreakerThenHalfOpenProbesCloseIt() throws Exception {
        ScriptedRecommender model = new ScriptedRecommender().fail(serverError(503));
        try (GuardedRecommender g = new GuardedRecommender(model, config(500, 4, 200))) {
            for (int i = 0; i < 4; i++) {
                assertThat(reason(g.recommend(ModelRequest.plain(ARN, "u", null, 5)))).isEqualTo(FallbackReason.BACKEND_5XX);
            }
            assertThat(g.breakerState()).isEqualTo("OPEN");
            int callsWhenOpened = model.calls();
            assertThat(reason(g.recommend(ModelRequest.plain(ARN, "u", null, 5)))).isEqualTo(FallbackReason.CIRCUIT_OPEN);
            assertThat(model.calls()).as("open breaker does not call the model").isEqualTo(callsWhenOpened);

            model.fail(null);
            Thread.sleep(250);
            assertThat(g.recommend(ModelRequest.plain(ARN, "u", null, 5))).isInstanceOf(ModelOutcome.Answered.class);
            assertThat(g.breakerState()).isEqualTo("HALF_OPEN");
            assertThat(g.recommend(ModelRequest.plain(ARN, "u", null, 5))).isInstanceOf(ModelOutcome.Answered.class);
            assertThat(g.breakerState()).isEqualTo("CLOSED");
        }
    }

    @Test
    void failedHalfOpenProbeReopens() throws Exception {
        ScriptedRecommender model = new ScriptedRecommender().fail(serverError(500));
        try (GuardedRecommender g = new GuardedRecommender(model, config(500, 4, 100))) {
            for (int i = 0; i < 4; i++) {
                g.recommend(ModelRequest.plain(ARN, "u", null, 5));
            }
            Thread.sleep(150);
            assertThat(reason(g.recommend(ModelRequest.plain(ARN, "u", null, 5)))).isEqualTo(FallbackReason.BACKEND_5XX);
            assertThat(reason(g.recommend(ModelRequest.plain(ARN, "u", null, 5)))).isEqualTo(FallbackReason.BACKEND_5XX);
            assertThat(g.breakerState()).isEqualTo("OPEN");
        }
    }

    @Test
    void clientErrorsDoNotOpenTheBreaker() {
        ScriptedRecommender model = new ScriptedRecommender().fail(serverError(400));
        try (GuardedRecommender g = new GuardedRecommender(model, config(500, 4, 10_000))) {
            for (int i = 0; i < 10; i++) {
                assertThat(reason(g.recommend(ModelRequest.plain(ARN, "u", null, 5)))).isEqualTo(FallbackReason.BACKEND_REJECTED);
            }
            assertThat(g.breakerState()).isEqualTo("CLOSED");
        }
        ScriptedRecommender throttled = new ScriptedRecommender().fail(serverError(429));
        try (GuardedRecommender g = new GuardedRecommender(throttled, config(500, 4, 10_000))) {
            assertThat(reason(g.recommend(ModelRequest.plain(ARN, "u", null, 5)))).isEqualTo(FallbackReason.BACKEND_THROTTLED);
        }
    }

    @Test
    void bulkheadRejectsCallsBeyondTheLimitImmediately() throws Exception {
        ScriptedRecommender model = new ScriptedRecommender().delay(300);
        try (GuardedRecommender g = new GuardedRecommender(model, config(1_000, 2, 10_000))) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<ModelOutcome>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(CompletableFuture.supplyAsync(() -> {
                    go.countDown();
                    return g.recommend(ModelRequest.plain(ARN, "u", null, 5));
                }));
            }
            go.await();
            Thread.sleep(50);
            long start = System.nanoTime();
            assertThat(reason(g.recommend(ModelRequest.plain(ARN, "u", null, 5)))).isEqualTo(FallbackReason.BULKHEAD_FULL);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(150);
            for (CompletableFuture<ModelOutcome> f : running) {
                assertThat(f.get()).isInstanceOf(ModelOutcome.Answered.class);
            }
        }
    }

    private static FallbackReason reason(ModelOutcome o) {
        assertThat(o).isInstanceOf(ModelOutcome.Failed.class);
        return ((ModelOutcome.Failed) o).reason();
    }

    static AwsServiceException serverError(int status) {
        return AwsServiceException.builder().statusCode(status).message("HTTP " + status).build();
    }
}
