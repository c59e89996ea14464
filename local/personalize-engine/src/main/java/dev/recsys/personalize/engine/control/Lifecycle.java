package dev.recsys.personalize.engine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status clock: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE / CREATE FAILED, one step apart, with
 * the slow work (imports, trainings, model loads) run one at a time on a worker thread. Every change is
 * made holding the store's lock and persisted.
 */
final class Lifecycle implements AutoCloseable {

    static final String PENDING = "CREATE PENDING", IN_PROGRESS = "CREATE IN_PROGRESS", ACTIVE = "ACTIVE", FAILED = "CREATE FAILED";

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    @FunctionalInterface
    interface Work {
        /** Does the slow part off the lock; returns the change to apply when the resource turns ACTIVE. */
        Consumer<ObjectNode> run() throws Exception;
    }

    private final ResourceStore store;
    private final long stepMillis;
    private final ScheduledExecutorService clock;
    private final ExecutorService worker;

    Lifecycle(ResourceStore store, Duration step) {
        this.store = store;
        this.stepMillis = step.toMillis();
        this.clock = Executors.newSingleThreadScheduledExecutor(daemon("personalize-lifecycle"));
        this.worker = Executors.newSingleThreadExecutor(daemon("personalize-worker"));
    }

    /**
     * PENDING for one step, then IN_PROGRESS while {@code work} runs on the worker (or one step when
     * there is none), then ACTIVE one step later; a failed work item ends in CREATE FAILED.
     *
     * @param target looks the resource (or update) up again at each step: it may have been deleted
     */
    void start(Supplier<ObjectNode> target, Work work) {
        clock.schedule(() -> {
            synchronized (store) {
                ObjectNode t = target.get();
                if (t == null || !PENDING.equals(t.path("status").asText())) return;
                setStatus(t, IN_PROGRESS);
                store.persist();
            }
            if (work == null) {
                clock.schedule(() -> finish(target, n -> {}), stepMillis, TimeUnit.MILLISECONDS);
                return;
            }
            worker.execute(() -> {
                Consumer<ObjectNode> apply;
                try {
                    apply = work.run();
                } catch (ImportJob.Failure e) {
                    fail(target, e.getMessage());
                    return;
                } catch (Exception | OutOfMemoryError e) {
                    LOG.warn("resource work failed", e);
                    fail(target, "Internal error: " + e);
                    return;
                }
                clock.schedule(() -> finish(target, apply), stepMillis, TimeUnit.MILLISECONDS);
            });
        }, stepMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * After a restart: work cannot survive one, so resources of the kinds in {@code withWork} that were
     * in flight fail; the others just finish. The caller persists.
     */
    static void recover(ResourceStore store, Set<ResourceKind> withWork) {
        for (ResourceKind k : ResourceKind.values()) {
            store.stream(k).filter(Lifecycle::inFlight).forEach(o -> {
                if (withWork.contains(k)) {
                    setStatus(o, FAILED);
                    o.put("failureReason", "The engine restarted while this resource was being created");
                } else {
                    setStatus(o, ACTIVE);
                }
            });
        }
    }

    static boolean inFlight(JsonNode n) {
        String s = n.path("status").asText();
        return PENDING.equals(s) || IN_PROGRESS.equals(s);
    }

    static void setStatus(ObjectNode n, String status) {
        n.put("status", status).put("lastUpdatedDateTime", ResourceStore.now());
    }

    static void requireActive(ObjectNode n, String what) {
        if (!ACTIVE.equals(n.path("status").asText())) {
            throw new ServiceException(ErrorCode.ResourceInUseException, what + " is " + n.path("status").asText() + ", not ACTIVE");
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finish(Supplier<ObjectNode> target, Consumer<ObjectNode> apply) {
        synchronized (store) {
            ObjectNode t = target.get();
            if (t == null || !IN_PROGRESS.equals(t.path("status").asText())) return;
            apply.accept(t);
            setStatus(t, ACTIVE);
            store.persist();
        }
    }

    private void fail(Supplier<ObjectNode> target, String reason) {
        synchronized (store) {
            ObjectNode t = target.get();
            if (t == null) return;
            setStatus(t, FAILED);
            t.put("failureReason", reason);
            store.persist();
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
