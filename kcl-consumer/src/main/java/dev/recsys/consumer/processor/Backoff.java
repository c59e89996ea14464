package dev.recsys.consumer.processor;

import java.util.concurrent.ThreadLocalRandom;

/** Delay between retries of a failed flush: exponential with full jitter, capped. */
public record Backoff(long baseMillis, long maxMillis, long shutdownBudgetMillis) {

    public long delayMillis(int failures) {
        long cap = Math.min(maxMillis, baseMillis << Math.min(20, Math.max(0, failures)));
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }

    public void sleep(int failures) {
        try {
            Thread.sleep(delayMillis(failures));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
