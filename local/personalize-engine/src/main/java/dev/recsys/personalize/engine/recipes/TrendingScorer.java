package dev.recsys.personalize.engine.recipes;

import dev.recsys.personalize.engine.data.Interactions;
import dev.recsys.personalize.engine.data.UserHistories;

/**
 * aws-trending-now: what is gaining interactions fastest. The training data's last fifth of its time span is
 * the recent window, the fifth before it the reference; an item's score is its growth (recent minus reference
 * interactions), the same for everyone, so a planted rising item outranks a popular one that is fading.
 * Personalize's trend-discovery frequency is not a knob here: the window follows the data's span.
 */
public record TrendingScorer(float[] growth) implements ItemScorer {

    /** Windows of a fifth of the data's span each, ending at its last interaction. */
    static final int WINDOWS_PER_SPAN = 5;

    public static TrendingScorer train(Interactions data, UserHistories histories) {
        float[] growth = new float[histories.itemCount()];
        if (data.size() == 0) return new TrendingScorer(growth);
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (int r = 0; r < data.size(); r++) {
            first = Math.min(first, data.timestamp(r));
            last = Math.max(last, data.timestamp(r));
        }
        long window = Math.max(1, (last - first) / WINDOWS_PER_SPAN);
        for (int r = 0; r < data.size(); r++) {
            long age = last - data.timestamp(r);
            int item = histories.itemIndex(data.itemId(data.item(r)));
            if (item < 0) continue;
            if (age < window) {
                growth[item] += 1;
            } else if (age < 2 * window) {
                growth[item] -= 1;
            }
        }
        return new TrendingScorer(growth);
    }

    @Override
    public void score(int[] history, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] += growth[i];
    }
}
