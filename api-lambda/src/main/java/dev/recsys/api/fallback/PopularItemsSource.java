package dev.recsys.api.fallback;

import dev.recsys.api.metrics.LogSink;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The current fallback list, kept in memory and refreshed from its publisher at most every
 * {@code refreshNanos}. A refresh runs in the background (the request that notices staleness does
 * not wait); a failed or missing fetch keeps the last good list (initially the static one).
 */
public final class PopularItemsSource {

    /** Fetches the published document; returns null while none is published. */
    @FunctionalInterface
    public interface Fetcher {
        byte[] fetch() throws Exception;
    }

    private final Fetcher fetcher;
    private final long refreshNanos;
    private final Executor executor;
    private final LogSink log;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Supplier<Long> clock;
    private volatile PopularItems current;
    private volatile long nextRefreshNanos;

    public PopularItemsSource(PopularItems initial, Fetcher fetcher, long refreshNanos, Executor executor, LogSink log) {
        this(initial, fetcher, refreshNanos, executor, log, System::nanoTime);
    }

    PopularItemsSource(PopularItems initial, Fetcher fetcher, long refreshNanos, Executor executor, LogSink log,
                       Supplier<Long> clock) {
        this.current = initial;
        this.fetcher = fetcher;
        this.refreshNanos = refreshNanos;
        this.executor = executor;
        this.log = log;
        this.clock = clock;
        this.nextRefreshNanos = clock.get();
    }

    public PopularItems current() {
        if (clock.get() - nextRefreshNanos >= 0 && refreshing.compareAndSet(false, true)) {
            executor.execute(this::refreshNow);
        }
        return current;
    }

    /** Fetches synchronously (at init, so the first request and a SnapStart snapshot have the list). */
    public void refreshNow() {
        try {
            byte[] doc = fetcher.fetch();
            if (doc != null) {
                PopularItems fresh = PopularItems.parse(doc);
                if (!fresh.modelVersion().equals(current.modelVersion())) {
                    log.log("INFO", "fallback list updated", "model_version", fresh.modelVersion(),
                            "items", fresh.items().size());
                }
                current = fresh;
            }
        } catch (Exception e) {
            log.log("WARN", "fallback list refresh failed, keeping the previous one",
                    "model_version", current.modelVersion(), "error", String.valueOf(e));
        } finally {
            nextRefreshNanos = clock.get() + refreshNanos;
            refreshing.set(false);
        }
    }

    /** Forces the next {@link #current()} to refresh (after a SnapStart restore the list may be old). */
    public void markStale() {
        nextRefreshNanos = clock.get();
    }
}
