package dev.recsys.consumer.ingest;

import dev.recsys.consumer.sink.SinkException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The checkpoint tier's executor, keeping one shard's window writes in order across owners in this JVM. A lease
 * lost under load and taken back gives the shard a new {@link ShardIngestor} while the lost one's window may still
 * be writing; the new owner replays that window from the checkpoint, and an archive object is named after the
 * window's first position, so the lost owner's write must not land after the replay's (it would put back events
 * the replay's next window archives again). Writes of different shards still run concurrently.
 */
public final class ShardWriteOrder {

    private final Executor executor;
    private final Map<String, CompletableFuture<?>> last = new HashMap<>();

    public ShardWriteOrder(Executor executor) {
        this.executor = executor;
    }

    /** Runs {@code write} once every earlier write of this shard has finished, whatever its outcome. */
    public <T> CompletableFuture<T> submit(String shardId, Supplier<T> write) {
        CompletableFuture<T> next = new CompletableFuture<>();
        CompletableFuture<?> previous;
        synchronized (last) {
            previous = last.getOrDefault(shardId, CompletableFuture.completedFuture(null));
            last.put(shardId, next);
        }
        previous.whenComplete((ignored, failure) -> {
            try {
                CompletableFuture.supplyAsync(write, executor).whenComplete((v, e) -> {
                    if (e != null) next.completeExceptionally(e);
                    else next.complete(v);
                });
            } catch (RejectedExecutionException e) { // stopping: the window stays buffered, never checkpointed
                next.completeExceptionally(new SinkException("checkpoint tier stopped: " + e.getMessage(), e));
            }
        });
        return next;
    }
}
