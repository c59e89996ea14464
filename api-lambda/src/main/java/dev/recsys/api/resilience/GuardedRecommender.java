package dev.recsys.api.resilience;

import dev.recsys.api.core.FallbackReason;
import dev.recsys.api.core.Model;
import dev.recsys.api.core.ModelOutcome;
import dev.recsys.api.core.ModelRequest;
import dev.recsys.api.core.Recommendation;
import dev.recsys.api.core.Recommender;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Every model call goes through Bulkhead → CircuitBreaker → TimeLimiter (Resilience4j) and comes
 * back as a {@link ModelOutcome}: never an exception, never slower than the timeout.
 * Client errors (4xx other than 429) are the caller's or the configuration's fault, not the model's
 * health, so they do not count against the breaker.
 */
public final class GuardedRecommender implements Model, AutoCloseable {

    private final Recommender delegate;
    private final Bulkhead bulkhead;
    private final CircuitBreaker breaker;
    private final TimeLimiter timeLimiter;
    private final ExecutorService calls;

    public GuardedRecommender(Recommender delegate, ResilienceConfig config) {
        this.delegate = delegate;
        this.bulkhead = Bulkhead.of("personalize", BulkheadConfig.custom()
                .maxConcurrentCalls(config.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.breaker = CircuitBreaker.of("personalize", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.breakerWindow())
                .minimumNumberOfCalls(config.breakerMinCalls())
                .failureRateThreshold(config.failureRatePercent())
                .slowCallDurationThreshold(config.timeout())
                .waitDurationInOpenState(config.openDuration())
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
                .ignoreException(GuardedRecommender::isClientError)
                .build());
        this.timeLimiter = TimeLimiter.of("personalize", TimeLimiterConfig.custom()
                .timeoutDuration(config.timeout())
                .cancelRunningFuture(true)
                .build());
        AtomicInteger n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "personalize-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public ModelOutcome recommend(ModelRequest request) {
        return guarded(() -> delegate.recommend(request));
    }

    @Override
    public ModelOutcome rank(ModelRequest request, List<String> itemIds) {
        return guarded(() -> delegate.rank(request, itemIds));
    }

    /** CLOSED, OPEN, HALF_OPEN (or FORCED_OPEN / DISABLED / METRICS_ONLY if an operator set them). */
    @Override
    public String breakerState() {
        return breaker.getState().name();
    }

    private ModelOutcome guarded(Supplier<Recommendation> call) {
        if (!bulkhead.tryAcquirePermission()) {
            return new ModelOutcome.Failed(FallbackReason.BULKHEAD_FULL, "bulkhead full");
        }
        try {
            if (!breaker.tryAcquirePermission()) {
                return new ModelOutcome.Failed(FallbackReason.CIRCUIT_OPEN,
                        CallNotPermittedException.createCallNotPermittedException(breaker).getMessage());
            }
            long start = breaker.getCurrentTimestamp();
            try {
                Recommendation r = timeLimiter.executeFutureSupplier(() -> CompletableFuture.supplyAsync(call, calls));
                breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
                return new ModelOutcome.Answered(r);
            } catch (Exception e) {
                Throwable cause = unwrap(e);
                breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), cause);
                return new ModelOutcome.Failed(reasonFor(cause), String.valueOf(cause));
            }
        } finally {
            bulkhead.onComplete();
        }
    }

    static FallbackReason reasonFor(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return FallbackReason.TIMEOUT;
        }
        if (cause instanceof SdkServiceException s) {
            if (s.isThrottlingException() || s.statusCode() == 429) {
                return FallbackReason.BACKEND_THROTTLED;
            }
            if (s.statusCode() >= 500) {
                return FallbackReason.BACKEND_5XX;
            }
            if (s.statusCode() >= 400) {
                return FallbackReason.BACKEND_REJECTED;
            }
        }
        return FallbackReason.BACKEND_ERROR;
    }

    private static boolean isClientError(Throwable t) {
        return t instanceof SdkServiceException s && s.statusCode() >= 400 && s.statusCode() < 500
                && s.statusCode() != 429 && !s.isThrottlingException();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
