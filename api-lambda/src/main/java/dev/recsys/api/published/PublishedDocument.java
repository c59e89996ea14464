package dev.recsys.api.published;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A document the pipeline publishes (the fallback list, the experiment split), kept in memory and
 * refreshed from its publisher at most every {@code refreshNanos}. A refresh runs in the background
 * (the request that notices staleness does not wait); a failed, missing or invalid fetch keeps the
 * last good value (initially the deployed one).
 */
public final class PublishedDocument<T> {

    /** Fetches the published document; returns null while none is published. */
    @FunctionalInterface
    public interface Fetcher {
        byte[] fetch() throws Exception;
    }

    /** Parses a fetched document; throws on an invalid one (which is then ignored). */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(byte[] document) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(PublishedDocument.class);

    private final String name;
    private final Fetcher fetcher;
    private final Parser<T> parser;
    private final Function<T, String> version;
    private final long refreshNanos;
    private final Executor executor;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Supplier<Long> clock;
    private volatile T current;
    private volatile long nextRefreshNanos;

    /**
     * @param name    for the log ("fallback list", "experiment split")
     * @param version what changed, for the log line written when a new version arrives
     */
    public PublishedDocument(String name, T initial, Fetcher fetcher, Parser<T> parser, Function<T, String> version,
                             long refreshNanos, Executor executor) {
        this(name, initial, fetcher, parser, version, refreshNanos, executor, System::nanoTime);
    }

    PublishedDocument(String name, T initial, Fetcher fetcher, Parser<T> parser, Function<T, String> version, long refreshNanos,
                      Executor executor, Supplier<Long> clock) {
        this.name = name;
        this.current = initial;
        this.fetcher = fetcher;
        this.parser = parser;
        this.version = version;
        this.refreshNanos = refreshNanos;
        this.executor = executor;
        this.clock = clock;
        this.nextRefreshNanos = clock.get();
    }

    public T current() {
        if (clock.get() - nextRefreshNanos >= 0 && refreshing.compareAndSet(false, true)) {
            executor.execute(this::refreshNow);
        }
        return current;
    }

    /** Fetches synchronously (at init, so the first request and a SnapStart snapshot have the document). */
    public void refreshNow() {
        try {
            byte[] doc = fetcher.fetch();
            if (doc != null) {
                T fresh = parser.parse(doc);
                if (!version.apply(fresh).equals(version.apply(current))) {
                    LOG.info("{} updated", name, entry("version", version.apply(fresh)));
                }
                current = fresh;
            }
        } catch (Exception e) {
            LOG.warn("{} refresh failed, keeping the previous one", name, entry("version", version.apply(current)),
                    entry("cause", String.valueOf(e)));
        } finally {
            nextRefreshNanos = clock.get() + refreshNanos;
            refreshing.set(false);
        }
    }

    /** Forces the next {@link #current()} to refresh (after a SnapStart restore the document may be old). */
    public void markStale() {
        nextRefreshNanos = clock.get();
    }
}
