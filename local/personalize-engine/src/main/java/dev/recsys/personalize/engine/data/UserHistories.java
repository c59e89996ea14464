package dev.recsys.personalize.engine.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What a model is trained on and serves from: each user's distinct items, oldest first by their last
 * interaction (a compressed sparse row matrix), plus raw event counts per item for popularity.
 * Users and items are re-indexed densely over those that have rows.
 */
public final class UserHistories {

    private final String[] userIds;
    private final String[] itemIds;
    private final int[] offsets;
    private final int[] items;
    private final float[] eventCounts;
    private final Map<String, Integer> userIndex;
    private final Map<String, Integer> itemIndex;

    public UserHistories(String[] userIds, String[] itemIds, int[] offsets, int[] items, float[] eventCounts) {
        if (offsets.length != userIds.length + 1 || eventCounts.length != itemIds.length
                || offsets[userIds.length] != items.length) {
            throw new IllegalArgumentException("inconsistent history arrays");
        }
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.offsets = offsets;
        this.items = items;
        this.eventCounts = eventCounts;
        this.userIndex = indexOf(userIds);
        this.itemIndex = indexOf(itemIds);
    }

    public static UserHistories of(Interactions data) {
        int[] itemMap = new int[data.itemDictionarySize()];
        Arrays.fill(itemMap, -1);
        int itemCount = 0;
        for (int r = 0; r < data.size(); r++) {
            if (itemMap[data.item(r)] < 0) itemMap[data.item(r)] = itemCount++;
        }
        String[] itemIds = new String[itemCount];
        float[] counts = new float[itemCount];
        for (int i = 0; i < itemMap.length; i++) if (itemMap[i] >= 0) itemIds[itemMap[i]] = data.itemId(i);
        for (int r = 0; r < data.size(); r++) counts[itemMap[data.item(r)]]++;

        Interactions.ByUser byUser = data.byUserInTimeOrder();
        int userCount = 0;
        for (int u = 0; u < data.userDictionarySize(); u++) if (byUser.count(u) > 0) userCount++;
        String[] userIds = new String[userCount];
        int[] offsets = new int[userCount + 1];
        int[] out = new int[data.size()];
        int[] lastPosition = new int[itemCount];
        Arrays.fill(lastPosition, -1);
        int[] rows = byUser.rows();
        int w = 0, nu = 0;
        for (int u = 0; u < data.userDictionarySize(); u++) {
            int from = byUser.starts()[u], to = byUser.starts()[u + 1];
            if (from == to) continue;
            userIds[nu] = data.userId(u);
            for (int p = from; p < to; p++) lastPosition[itemMap[data.item(rows[p])]] = p;
            // Keep each item once, at the place of its latest interaction.
            for (int p = from; p < to; p++) {
                int it = itemMap[data.item(rows[p])];
                if (lastPosition[it] == p) out[w++] = it;
            }
            for (int p = from; p < to; p++) lastPosition[itemMap[data.item(rows[p])]] = -1;
            offsets[++nu] = w;
        }
        return new UserHistories(userIds, itemIds, offsets, Arrays.copyOf(out, w), counts);
    }

    public int userCount() {
        return userIds.length;
    }

    public int itemCount() {
        return itemIds.length;
    }

    /** Dense index of a user, or -1 when the user has no history here. */
    public int userIndex(String userId) {
        Integer i = userIndex.get(userId);
        return i == null ? -1 : i;
    }

    /** Dense index of an item, or -1 when the item is unknown. */
    public int itemIndex(String itemId) {
        Integer i = itemIndex.get(itemId);
        return i == null ? -1 : i;
    }

    public String userId(int user) {
        return userIds[user];
    }

    public String itemId(int item) {
        return itemIds[item];
    }

    /** The user's distinct items, oldest first. */
    public int[] history(int user) {
        return Arrays.copyOfRange(items, offsets[user], offsets[user + 1]);
    }

    public int historyLength(int user) {
        return offsets[user + 1] - offsets[user];
    }

    /** Raw event count of an item (popularity). */
    public float eventCount(int item) {
        return eventCounts[item];
    }

    public int interactionCount() {
        return items.length;
    }

    // Raw arrays for the model codec and the trainers; callers must not modify them.
    public String[] userIdArray() {
        return userIds;
    }

    public String[] itemIdArray() {
        return itemIds;
    }

    public int[] offsetArray() {
        return offsets;
    }

    public int[] itemArray() {
        return items;
    }

    public float[] eventCountArray() {
        return eventCounts;
    }

    private static Map<String, Integer> indexOf(String[] ids) {
        Map<String, Integer> m = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) m.put(ids[i], i);
        return m;
    }
}
