package dev.recsys.api.resilience;

import java.time.Duration;

/**
 * Limits around model calls.
 *
 * @param timeout            per call, including the SDK's own retry; past it the fallback is served
 * @param maxConcurrentCalls bulkhead: model calls in flight from one instance (Lambda: 1 request at a
 *                           time, but the local adapter and timed-out calls still running count too)
 * @param breakerWindow      calls in the breaker's sliding window
 * @param breakerMinCalls    calls needed before the failure rate is judged
 * @param failureRatePercent failure rate that opens the breaker
 * @param openDuration       how long the breaker stays open before letting probes through (half-open)
 * @param halfOpenCalls      probes allowed in half-open; all succeed → closed, else open again
 */
public record ResilienceConfig(Duration timeout, int maxConcurrentCalls, int breakerWindow, int breakerMinCalls,
                               float failureRatePercent, Duration openDuration, int halfOpenCalls) {

    public ResilienceConfig {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (maxConcurrentCalls < 1 || breakerWindow < 1 || breakerMinCalls < 1 || halfOpenCalls < 1) {
            throw new IllegalArgumentException("bulkhead and breaker sizes must be >= 1");
        }
        if (failureRatePercent <= 0 || failureRatePercent > 100) {
            throw new IllegalArgumentException("failureRatePercent must be in (0, 100]");
        }
        if (openDuration == null || openDuration.isNegative() || openDuration.isZero()) {
            throw new IllegalArgumentException("openDuration must be positive");
        }
    }

    public static ResilienceConfig defaults() {
        return new ResilienceConfig(Duration.ofMillis(250), 32, 20, 10, 50f, Duration.ofSeconds(10), 3);
    }
}
