package dev.recsys.personalize.engine.evaluation;

import dev.recsys.personalize.engine.data.Interactions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Personalize's offline evaluation split: a fraction of users is held out; for each of them the
 * most recent share of their interactions is the test set and the older ones stay in training
 * (they are the history the model answers from). Users with fewer than two interactions stay whole.
 * Selection hashes the user id, so the same data always gives the same split.
 */
public final class HoldoutSplit {

    /** @param relevant test items not already in the user's training history (those are never recommended) */
    public record TestUser(String userId, Set<String> relevant) {}

    public record Split(Interactions training, List<TestUser> testUsers) {}

    private HoldoutSplit() {}

    /**
     * @param userFraction   share of eligible users held out, in (0, 1)
     * @param recentFraction share of a held-out user's newest interactions used as test, in (0, 1)
     */
    public static Split split(Interactions data, double userFraction, double recentFraction) {
        if (!(userFraction > 0 && userFraction < 1) || !(recentFraction > 0 && recentFraction < 1)) {
            throw new IllegalArgumentException("fractions must be in (0, 1)");
        }
        Interactions.ByUser byUser = data.byUserInTimeOrder();
        int[] rows = byUser.rows();
        boolean[] testRow = new boolean[data.size()];
        List<TestUser> testUsers = new ArrayList<>();
        int firstEligible = -1;
        for (int u = 0; u < data.userDictionarySize(); u++) {
            int n = byUser.count(u);
            if (n < 2) continue;
            if (firstEligible < 0) firstEligible = u;
            if (!selected(data.userId(u), userFraction)) continue;
            addTestUser(data, byUser, rows, u, recentFraction, testRow, testUsers);
        }
        if (testUsers.isEmpty() && firstEligible >= 0) {
            addTestUser(data, byUser, rows, firstEligible, recentFraction, testRow, testUsers);
        }
        return new Split(data.filter(r -> !testRow[r]), List.copyOf(testUsers));
    }

    private static void addTestUser(Interactions data, Interactions.ByUser byUser, int[] rows, int u,
                                    double recentFraction, boolean[] testRow, List<TestUser> out) {
        int from = byUser.starts()[u], to = byUser.starts()[u + 1], n = to - from;
        int tests = (int) Math.min(n - 1, Math.max(1, Math.ceil(n * recentFraction)));
        int cut = to - tests;
        Set<Integer> trainItems = new java.util.HashSet<>();
        for (int p = from; p < cut; p++) trainItems.add(data.item(rows[p]));
        Set<String> relevant = new LinkedHashSet<>();
        for (int p = cut; p < to; p++) {
            testRow[rows[p]] = true;
            if (!trainItems.contains(data.item(rows[p]))) relevant.add(data.itemId(data.item(rows[p])));
        }
        // A user whose recent items all repeat older ones has nothing to find; keep them in training.
        if (relevant.isEmpty()) {
            for (int p = cut; p < to; p++) testRow[rows[p]] = false;
            return;
        }
        out.add(new TestUser(data.userId(u), relevant));
    }

    private static boolean selected(String userId, double fraction) {
        long h = userId.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (h & 0xFFFFFF) < fraction * 0x1000000;
    }
}
