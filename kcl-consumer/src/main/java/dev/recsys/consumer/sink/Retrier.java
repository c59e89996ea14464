package dev.recsys.consumer.sink;

import dev.recsys.consumer.config.RetrySettings;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.function.Supplier;

/**
 * Exponential backoff with jitter around one store call. A call that still fails after the last
 * attempt becomes a {@link SinkException}, which keeps the batch from being checkpointed.
 */
public final class Retrier {

    private final Retry retry;

    public Retrier(String name, RetrySettings settings) {
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(settings.maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        settings.initialBackoff.toJavaDuration(), 2.0, 0.5, settings.maxBackoff.toJavaDuration()))
                .retryOnException(e -> true)
                .build();
        this.retry = Retry.of(name, config);
    }

    public <T> T call(String what, Supplier<T> call) {
        try {
            return Retry.decorateSupplier(retry, call).get();
        } catch (SinkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SinkException(what + " failed after " + retry.getRetryConfig().getMaxAttempts() + " attempts: " + e, e);
        }
    }

    /** Sleeps the backoff of the given attempt (1-based), for callers that retry in rounds of their own. */
    public void pause(int attempt) {
        try {
            Thread.sleep(retry.getRetryConfig().getIntervalBiFunction().apply(attempt, null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted while backing off", e);
        }
    }

    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }
}
