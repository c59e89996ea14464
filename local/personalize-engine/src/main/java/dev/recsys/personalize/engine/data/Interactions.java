package dev.recsys.personalize.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * An interactions dataset in columns: dictionary-encoded users, items and event types, epoch-second
 * timestamps and optional values (NaN when absent). Primitive arrays keep a million rows near 25 MB.
 */
public final class Interactions {

    private final List<String> userIds;
    private final List<String> itemIds;
    private final List<String> eventTypes;
    private final int[] user;
    private final int[] item;
    private final int[] eventType;
    private final long[] timestamp;
    private final float[] value;
    private final int size;

    private Interactions(List<String> userIds, List<String> itemIds, List<String> eventTypes,
                         int[] user, int[] item, int[] eventType, long[] timestamp, float[] value, int size) {
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.eventTypes = eventTypes;
        this.user = user;
        this.item = item;
        this.eventType = eventType;
        this.timestamp = timestamp;
        this.value = value;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int size() {
        return size;
    }

    public int user(int row) {
        return user[row];
    }

    public int item(int row) {
        return item[row];
    }

    public long timestamp(int row) {
        return timestamp[row];
    }

    public String eventType(int row) {
        return eventTypes.get(eventType[row]);
    }

    public int eventTypeIndex(int row) {
        return eventType[row];
    }

    public int eventTypeCount() {
        return eventTypes.size();
    }

    public String eventTypeName(int index) {
        return eventTypes.get(index);
    }

    public float value(int row) {
        return value[row];
    }

    public String userId(int userIndex) {
        return userIds.get(userIndex);
    }

    public String itemId(int itemIndex) {
        return itemIds.get(itemIndex);
    }

    /** Size of the user dictionary (users without rows after a filter still count). */
    public int userDictionarySize() {
        return userIds.size();
    }

    public int itemDictionarySize() {
        return itemIds.size();
    }

    /** Number of distinct users that have at least one row. */
    public int distinctUsers() {
        boolean[] seen = new boolean[userIds.size()];
        int n = 0;
        for (int r = 0; r < size; r++) {
            if (!seen[user[r]]) {
                seen[user[r]] = true;
                n++;
            }
        }
        return n;
    }

    /** The rows that pass {@code keep}, sharing this dataset's dictionaries. */
    public Interactions filter(IntPredicate keep) {
        int n = 0;
        for (int r = 0; r < size; r++) if (keep.test(r)) n++;
        int[] u = new int[n], i = new int[n], t = new int[n];
        long[] ts = new long[n];
        float[] v = new float[n];
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (!keep.test(r)) continue;
            u[w] = user[r];
            i[w] = item[r];
            t[w] = eventType[r];
            ts[w] = timestamp[r];
            v[w] = value[r];
            w++;
        }
        return new Interactions(userIds, itemIds, eventTypes, u, i, t, ts, v, n);
    }

    /**
     * Row numbers grouped by user and, within a user, ordered by time (ties keep input order).
     * {@code starts[u]..starts[u+1]} indexes {@code rows} for user {@code u}.
     */
    public ByUser byUserInTimeOrder() {
        int[] timeOrder = timeOrder();
        int users = userIds.size();
        int[] starts = new int[users + 1];
        for (int r = 0; r < size; r++) starts[user[r] + 1]++;
        for (int u = 0; u < users; u++) starts[u + 1] += starts[u];
        int[] next = Arrays.copyOf(starts, users);
        int[] rows = new int[size];
        // A stable counting sort by user keeps the time order inside each user.
        for (int r : timeOrder) rows[next[user[r]]++] = r;
        return new ByUser(rows, starts);
    }

    /** @param rows row numbers; {@code starts} has one entry per user plus one */
    public record ByUser(int[] rows, int[] starts) {
        public int count(int user) {
            return starts[user + 1] - starts[user];
        }
    }

    private int[] timeOrder() {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int r = 0; r < size; r++) {
            min = Math.min(min, timestamp[r]);
            max = Math.max(max, timestamp[r]);
        }
        int[] order = new int[size];
        if (size == 0) return order;
        int rowBits = 64 - Long.numberOfLeadingZeros(Math.max(1, size - 1));
        long span = max - min;
        if (span < (1L << (63 - rowBits))) {
            // Pack (time, row) into one long: a primitive sort, no boxing, stable by row number.
            long[] keys = new long[size];
            for (int r = 0; r < size; r++) keys[r] = ((timestamp[r] - min) << rowBits) | r;
            Arrays.sort(keys);
            long mask = (1L << rowBits) - 1;
            for (int r = 0; r < size; r++) order[r] = (int) (keys[r] & mask);
            return order;
        }
        Integer[] boxed = new Integer[size];
        for (int r = 0; r < size; r++) boxed[r] = r;
        Arrays.sort(boxed, (a, b) -> Long.compare(timestamp[a], timestamp[b]));
        for (int r = 0; r < size; r++) order[r] = boxed[r];
        return order;
    }

    /** Collects rows; dictionaries grow as new ids arrive. */
    public static final class Builder {
        private final List<String> userIds = new ArrayList<>();
        private final List<String> itemIds = new ArrayList<>();
        private final List<String> eventTypes = new ArrayList<>();
        private final Map<String, Integer> userIndex = new HashMap<>();
        private final Map<String, Integer> itemIndex = new HashMap<>();
        private final Map<String, Integer> typeIndex = new HashMap<>();
        private int[] user = new int[1024];
        private int[] item = new int[1024];
        private int[] eventType = new int[1024];
        private long[] timestamp = new long[1024];
        private float[] value = new float[1024];
        private int size;

        /** @param eventType may be empty when the dataset has no EVENT_TYPE column; value NaN when absent */
        public Builder add(String userId, String itemId, long epochSeconds, String eventType, float value) {
            if (size == user.length) grow();
            this.user[size] = index(userId, userIds, userIndex);
            this.item[size] = index(itemId, itemIds, itemIndex);
            this.eventType[size] = index(eventType, eventTypes, typeIndex);
            this.timestamp[size] = epochSeconds;
            this.value[size] = value;
            size++;
            return this;
        }

        public Builder addAll(Interactions other) {
            for (int r = 0; r < other.size; r++) {
                add(other.userId(other.user[r]), other.itemId(other.item[r]), other.timestamp[r],
                        other.eventType(r), other.value[r]);
            }
            return this;
        }

        public Interactions build() {
            return new Interactions(List.copyOf(userIds), List.copyOf(itemIds), List.copyOf(eventTypes),
                    Arrays.copyOf(user, size), Arrays.copyOf(item, size), Arrays.copyOf(eventType, size),
                    Arrays.copyOf(timestamp, size), Arrays.copyOf(value, size), size);
        }

        private static int index(String id, List<String> ids, Map<String, Integer> index) {
            Integer i = index.get(id);
            if (i != null) return i;
            index.put(id, ids.size());
            ids.add(id);
            return ids.size() - 1;
        }

        private void grow() {
            int n = user.length * 2;
            user = Arrays.copyOf(user, n);
            item = Arrays.copyOf(item, n);
            eventType = Arrays.copyOf(eventType, n);
            timestamp = Arrays.copyOf(timestamp, n);
            value = Arrays.copyOf(value, n);
        }
    }
}
