package dev.recsys.api.support;

import dev.recsys.api.core.ModelRequest;
import dev.recsys.api.core.Recommendation;
import dev.recsys.api.core.Recommender;
import dev.recsys.api.core.ScoredItem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process model for tests: answers deterministically from the user/item id, counts calls and
 * can be told to be slow or to fail, to exercise timeouts, the breaker and single-flight.
 */
public final class ScriptedRecommender implements Recommender {

    private final AtomicInteger calls = new AtomicInteger();
    private volatile long delayMillis;
    private volatile RuntimeException failure;

    public int calls() {
        return calls.get();
    }

    public ScriptedRecommender delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    public ScriptedRecommender fail(RuntimeException e) {
        this.failure = e;
        return this;
    }

    /** Every request the model was asked, in order. */
    public final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public Recommendation recommend(ModelRequest r) {
        requests.add(r);
        String prefix = r.itemId() != null ? "sim-" + r.itemId() : r.userId() != null ? "rec-" + r.userId() : "trend";
        return answer(prefix, r.limit());
    }

    @Override
    public Recommendation rank(ModelRequest r, List<String> itemIds) {
        requests.add(r);
        calls.incrementAndGet();
        behave();
        List<ScoredItem> out = new ArrayList<>();
        for (int i = itemIds.size() - 1; i >= 0; i--) {
            out.add(new ScoredItem(itemIds.get(i), 1.0 / (out.size() + 1)));
        }
        return new Recommendation(out, "rank-" + calls.get());
    }

    private Recommendation answer(String prefix, int limit) {
        int n = calls.incrementAndGet();
        behave();
        List<ScoredItem> items = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            items.add(new ScoredItem(prefix + "-item-" + i, 1.0 - i / 100.0));
        }
        return new Recommendation(items, prefix + "-" + n);
    }

    private void behave() {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
        RuntimeException f = failure;
        if (f != null) {
            throw f;
        }
    }
}
