package dev.recsys.consumer.realtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What both Personalize forwarders share, so a slow or failing API never blocks a shard: a bounded queue that the
 * shard threads offer to, one sender thread that drains it into calls, a bound on calls in flight, retries with
 * backoff under a per-call timeout, and a close that sends what is queued (bounded) before it stops.
 *
 * @param <T> what the shards hand over (an event, an item)
 * @param <C> one API call's worth of them
 */
final class BoundedForwarder<T, C> implements AutoCloseable {

    /** How a call ended; called from SDK threads, after the call's in-flight permit is released, so it must be quick. */
    interface Outcome<C> {
        void sent(C call);

        /** Every failed attempt; {@code givingUp} on the last one (retries exhausted, or closing). */
        void failed(C call, Throwable cause, int attempt, boolean givingUp);
    }

    private final BlockingQueue<T> queue;
    private final Function<List<T>, List<C>> batch;
    private final Function<C, CompletableFuture<?>> call;
    private final Outcome<C> outcome;
    private final int attempts;
    private final Duration callTimeout;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final ScheduledExecutorService retries;
    private final Thread sender;
    private volatile boolean running = true;

    /**
     * @param batch turns what was drained together (up to 1,000) into calls
     * @param call  starts one call
     */
    BoundedForwarder(String name, int capacity, int attempts, int maxInFlight, Duration callTimeout,
                     Function<List<T>, List<C>> batch, Function<C, CompletableFuture<?>> call, Outcome<C> outcome) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batch = batch;
        this.call = call;
        this.outcome = outcome;
        this.attempts = attempts;
        this.callTimeout = callTimeout;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-retry");
            t.setDaemon(true);
            return t;
        });
        this.sender = new Thread(this::sendLoop, name);
        this.sender.setDaemon(true);
    }

    void start() {
        sender.start();
    }

    /** False when the queue is full: the caller counts it as dropped. */
    boolean offer(T item) {
        return queue.offer(item);
    }

    private void sendLoop() {
        List<T> drained = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                T first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                drained.add(first);
                queue.drainTo(drained, 999);
                for (C c : batch.apply(drained)) {
                    inFlight.acquire();
                    send(c, 1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                drained.clear();
            }
        }
    }

    /** One call; holds an in-flight permit until it has finished, retries included. */
    private void send(C c, int attempt) {
        call.apply(c).orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, err) -> {
            if (err == null) {
                inFlight.release();
                outcome.sent(c);
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            boolean retry = attempt < attempts && running;
            if (retry) {
                retries.schedule(() -> send(c, attempt + 1), 100L << attempt, TimeUnit.MILLISECONDS);
            } else {
                inFlight.release();
            }
            outcome.failed(c, cause, attempt, !retry);
        });
    }

    /** Sends what is queued (bounded), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            sender.join(5_000);
            inFlight.tryAcquire(maxInFlight, 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retries.shutdownNow();
    }
}
