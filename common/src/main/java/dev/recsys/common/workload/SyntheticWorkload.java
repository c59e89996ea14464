package dev.recsys.common.workload;

import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.catalog.CatalogUser;
import dev.recsys.common.event.InteractionEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Deterministic synthetic traffic with real signal: users and items follow power laws, every user
 * and item belongs to one of {@code clusters} taste clusters, and a user picks items of their own
 * cluster with probability {@code inClusterProbability}. A recommender that learns tastes beats
 * plain popularity on it; the same seed always yields the same events. {@link #catalog} describes the same items
 * (categories tied to their cluster, prices, creation times, some unavailable), so filters have real signal too.
 */
public final class SyntheticWorkload implements Iterable<InteractionEvent> {

    /**
     * @param eventCount    how many events {@link #iterator()} yields
     * @param startMillis   event time of the first event
     * @param spacingMillis event-time step between consecutive events
     */
    public record Config(long seed, int users, int items, int clusters, double userExponent, double itemExponent,
                         double inClusterProbability, long eventCount, long startMillis, long spacingMillis) {
        public Config {
            if (users < clusters || items < clusters || clusters < 1) {
                throw new IllegalArgumentException("need users >= clusters, items >= clusters, clusters >= 1");
            }
            if (inClusterProbability < 0 || inClusterProbability > 1) {
                throw new IllegalArgumentException("inClusterProbability must be in [0, 1]");
            }
            if (eventCount < 0 || spacingMillis < 0) {
                throw new IllegalArgumentException("eventCount and spacingMillis must be >= 0");
            }
        }

        /** The reference workload: 2,000 users, 500 items, 8 clusters, 85% in-cluster picks. */
        public static Config reference(long seed, long eventCount, long startMillis) {
            return new Config(seed, 2_000, 500, 8, 0.9, 0.8, 0.85, eventCount, startMillis, 5);
        }

        public Config withEventCount(long count) {
            return new Config(seed, users, items, clusters, userExponent, itemExponent, inClusterProbability,
                    count, startMillis, spacingMillis);
        }
    }

    /** Every cluster's category, cycling when there are more clusters; its first genre is the cluster's own. */
    private static final String[] CATEGORIES = {"books", "music", "movies", "games", "garden", "kitchen", "sports", "toys"};
    private static final String[] BRANDS = {"acme", "globex", "initech", "umbrella", "hooli", "stark"};
    /** Share of the catalog that is not available (filters must exclude it). */
    public static final double UNAVAILABLE_SHARE = 0.05;
    /** Creation times spread over this many days before the catalog's update time. */
    private static final long CREATION_SPREAD_DAYS = 730;

    private static final String[] EVENT_TYPES = {"view", "click", "add_to_cart", "purchase"};
    private static final double[] EVENT_TYPE_CDF = {0.70, 0.90, 0.96, 1.0};

    private final Config config;
    private final ZipfSampler userSampler;
    private final ZipfSampler globalItemSampler;
    private final ZipfSampler[] clusterItemSamplers;
    private final int[][] clusterItems;
    private final int[] userRankToUser;
    private final int[] itemRankToItem;

    public SyntheticWorkload(Config config) {
        this.config = config;
        SplittableRandom setup = new SplittableRandom(config.seed());
        userRankToUser = permutation(config.users(), setup);
        itemRankToItem = permutation(config.items(), setup);
        userSampler = new ZipfSampler(config.users(), config.userExponent());
        globalItemSampler = new ZipfSampler(config.items(), config.itemExponent());
        clusterItems = new int[config.clusters()][];
        clusterItemSamplers = new ZipfSampler[config.clusters()];
        for (int c = 0; c < config.clusters(); c++) {
            List<Integer> members = new ArrayList<>();
            // Popularity order within a cluster follows the global rank order of its members.
            for (int rank = 0; rank < config.items(); rank++) {
                if (clusterOfItemIndex(itemRankToItem[rank]) == c) members.add(itemRankToItem[rank]);
            }
            clusterItems[c] = members.stream().mapToInt(Integer::intValue).toArray();
            clusterItemSamplers[c] = new ZipfSampler(clusterItems[c].length, config.itemExponent());
        }
    }

    public Config config() {
        return config;
    }

    public static String userId(int index) {
        return String.format("user-%06d", index);
    }

    public static String itemId(int index) {
        return String.format("item-%06d", index);
    }

    public int clusterOfUser(String userId) {
        return clusterOfUserIndex(indexOf(userId, "user-"));
    }

    public int clusterOfItem(String itemId) {
        return clusterOfItemIndex(indexOf(itemId, "item-"));
    }

    /** The category of an item of the given cluster: the signal a category filter or a metadata-aware model can use. */
    public String categoryOfCluster(int cluster) {
        return CATEGORIES[cluster % CATEGORIES.length];
    }

    /**
     * One upsert per item of the workload, in item order, all updated at {@code updatedAtMillis}: category = its
     * cluster's, genres = the cluster's genre plus one other, a brand, a price, a creation time in the two years
     * before, and {@link #UNAVAILABLE_SHARE} of them unavailable. Deterministic by seed.
     */
    public List<CatalogItem> catalog(long updatedAtMillis) {
        SplittableRandom random = new SplittableRandom(config.seed() ^ 0x1CA7A106L);
        List<CatalogItem> items = new ArrayList<>(config.items());
        for (int i = 0; i < config.items(); i++) {
            int cluster = clusterOfItemIndex(i);
            String own = "genre-" + cluster;
            String other = "genre-" + random.nextInt(config.clusters() + 4);
            List<String> genres = own.equals(other) ? List.of(own) : List.of(own, other);
            double price = Math.round(Math.exp(1 + random.nextDouble() * 5) * 100) / 100.0; // ~2.7 .. ~400, skewed low
            long created = updatedAtMillis - 1_000L - (long) (random.nextDouble() * CREATION_SPREAD_DAYS * 86_400_000L);
            boolean available = random.nextDouble() >= UNAVAILABLE_SHARE;
            items.add(new CatalogItem(itemId(i), CatalogItem.Operation.UPSERT, updatedAtMillis, categoryOfCluster(cluster),
                    BRANDS[random.nextInt(BRANDS.length)], genres, price, created, available,
                    Map.of("title", "Item " + i + " (" + categoryOfCluster(cluster) + ")")));
        }
        return items;
    }

    /**
     * One upsert per user of the workload, in user order, all updated at {@code updatedAtMillis}: segment = the
     * category of the user's taste cluster (the signal a metadata-aware model can use for a user with no history),
     * a membership (about 60% free, 30% plus, 10% premium) and an age of 13 to 79. Deterministic by seed.
     */
    public List<CatalogUser> users(long updatedAtMillis) {
        SplittableRandom random = new SplittableRandom(config.seed() ^ 0x05E125L);
        List<CatalogUser> users = new ArrayList<>(config.users());
        for (int u = 0; u < config.users(); u++) {
            double m = random.nextDouble();
            String membership = m < 0.6 ? "free" : m < 0.9 ? "plus" : "premium";
            users.add(CatalogUser.upsert(userId(u), updatedAtMillis, categoryOfCluster(clusterOfUserIndex(u)), membership,
                    13 + random.nextInt(67)));
        }
        return users;
    }

    private int clusterOfUserIndex(int user) {
        return Math.floorMod(user * 31 + 7, config.clusters());
    }

    private int clusterOfItemIndex(int item) {
        return item % config.clusters();
    }

    @Override
    public Iterator<InteractionEvent> iterator() {
        SplittableRandom random = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        return new Iterator<>() {
            long n = 0;

            @Override
            public boolean hasNext() {
                return n < config.eventCount();
            }

            @Override
            public InteractionEvent next() {
                if (!hasNext()) throw new NoSuchElementException();
                InteractionEvent e = event(n, random);
                n++;
                return e;
            }
        };
    }

    private InteractionEvent event(long n, SplittableRandom random) {
        int user = userRankToUser[userSampler.sample(random)];
        int item;
        if (random.nextDouble() < config.inClusterProbability()) {
            int c = clusterOfUserIndex(user);
            item = clusterItems[c][clusterItemSamplers[c].sample(random)];
        } else {
            item = itemRankToItem[globalItemSampler.sample(random)];
        }
        double t = random.nextDouble();
        int type = 0;
        while (t > EVENT_TYPE_CDF[type]) type++;
        Double value = EVENT_TYPES[type].equals("purchase") ? Math.round(random.nextDouble() * 10_000) / 100.0 : null;
        return new InteractionEvent("ev-" + config.seed() + "-" + n, userId(user), itemId(item), EVENT_TYPES[type], value,
                config.startMillis() + n * config.spacingMillis(), "s-" + user + "-" + (n / 50), Map.of());
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    private static int indexOf(String id, String prefix) {
        if (!id.startsWith(prefix)) throw new IllegalArgumentException("not a synthetic id: " + id);
        return Integer.parseInt(id.substring(prefix.length()));
    }
}
