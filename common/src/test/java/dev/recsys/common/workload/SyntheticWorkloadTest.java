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
