package dev.recsys.common.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.event.InteractionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticWorkloadTest {

    @Test
    void theCatalogDescribesEveryItemWithItsClustersCategoryDeterministically() {
        SyntheticWorkload w = new SyntheticWorkload(SyntheticWorkload.Config.reference(3, 0, 1_700_000_000_000L));
        long t = 1_780_000_000_000L;
        List<dev.recsys.common.catalog.CatalogItem> catalog = w.catalog(t);
        assertThat(catalog).hasSize(500).isEqualTo(w.catalog(t));
        assertThat(new SyntheticWorkload(SyntheticWorkload.Config.reference(4, 0, 1_700_000_000_000L)).catalog(t)).isNotEqualTo(catalog);
        Set<String> ids = new HashSet<>();
        Map<String, Set<Integer>> clustersByCategory = new HashMap<>();
        int unavailable = 0;
        for (var item : catalog) {
            ids.add(item.itemId());
            assertThat(item.updatedAt()).isEqualTo(t);
            assertThat(item.creationTimestamp()).isLessThan(t).isGreaterThan(t - 731L * 86_400_000L);
            assertThat(item.price()).isBetween(1.0, 500.0);
            assertThat(item.genres()).first().isEqualTo("genre-" + w.clusterOfItem(item.itemId()));
            assertThat(item.category()).isEqualTo(w.categoryOfCluster(w.clusterOfItem(item.itemId())));
            clustersByCategory.computeIfAbsent(item.category(), c -> new HashSet<>()).add(w.clusterOfItem(item.itemId()));
            if (!item.available()) unavailable++;
        }
        assertThat(ids).hasSize(500).contains(SyntheticWorkload.itemId(0), SyntheticWorkload.itemId(499));
        assertThat(clustersByCategory).as("8 clusters, 8 categories: one each").hasSize(8).allSatisfy((c, clusters) -> assertThat(clusters).hasSize(1));
        assertThat(unavailable).as("about 5% of 500").isBetween(10, 45);
    }

    @Test
    void everyUserHasTheirClustersCategoryAsSegmentAMembershipAndAnAge() {
        SyntheticWorkload w = new SyntheticWorkload(SyntheticWorkload.Config.reference(3, 0, 1_700_000_000_000L));
        long t = 1_780_000_000_000L;
        var users = w.users(t);
        assertThat(users).hasSize(2_000).isEqualTo(w.users(t));
        Map<String, Integer> memberships = new HashMap<>();
        for (var u : users) {
            assertThat(u.segment()).isEqualTo(w.categoryOfCluster(w.clusterOfUser(u.userId())));
            assertThat(u.age()).isBetween(13, 79);
            assertThat(u.updatedAt()).isEqualTo(t);
            memberships.merge(u.membership(), 1, Integer::sum);
        }
        assertThat(users.get(0).userId()).isEqualTo(SyntheticWorkload.userId(0));
        assertThat(memberships.keySet()).containsExactlyInAnyOrder("free", "plus", "premium");
        assertThat(memberships.get("free")).as("about 60% of 2,000").isBetween(1_100, 1_300);
    }

    static List<InteractionEvent> events(long seed, long n) {
        List<InteractionEvent> out = new ArrayList<>();
        new SyntheticWorkload(SyntheticWorkload.Config.reference(seed, n, 1_700_000_000_000L)).forEach(out::add);
        return out;
    }

    @Test
    void sameSeedSameEvents_otherSeedOtherEvents() {
        assertThat(events(7, 2_000)).isEqualTo(events(7, 2_000));
        assertThat(events(8, 2_000)).isNotEqualTo(events(7, 2_000));
    }

    @Test
    void eventIdsAreUniqueAndTimesIncrease() {
        List<InteractionEvent> e = events(1, 10_000);
        Set<String> ids = new HashSet<>();
        e.forEach(x -> ids.add(x.eventId()));
        assertThat(ids).hasSize(10_000);
        for (int i = 1; i < e.size(); i++) assertThat(e.get(i).timestampMillis()).isGreaterThan(e.get(i - 1).timestampMillis());
    }

    @Test
    void plantedClustersAndPowerLawsAreThere() {
        SyntheticWorkload w = new SyntheticWorkload(SyntheticWorkload.Config.reference(3, 50_000, 1_700_000_000_000L));
        int inCluster = 0;
        Map<String, Integer> perUser = new HashMap<>();
        for (InteractionEvent e : w) {
            if (w.clusterOfUser(e.userId()) == w.clusterOfItem(e.itemId())) inCluster++;
            perUser.merge(e.userId(), 1, Integer::sum);
        }
        // 85% chosen in-cluster plus 1/8 of the global picks landing in-cluster by chance
        assertThat(inCluster / 50_000.0).isBetween(0.84, 0.89);
        List<Integer> counts = new ArrayList<>(perUser.values());
        counts.sort((a, b) -> b - a);
        int top1Percent = counts.subList(0, counts.size() / 100).stream().mapToInt(Integer::intValue).sum();
        assertThat(top1Percent / 50_000.0).as("heavy users dominate").isGreaterThan(0.10);
    }
}
