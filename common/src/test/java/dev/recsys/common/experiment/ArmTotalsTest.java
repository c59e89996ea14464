package dev.recsys.common.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ArmTotalsTest {

    @Test
    void plusUserAccumulatesFirstAndSecondMoments() {
        ArmTotals t = ArmTotals.EMPTY.plusUser(3, 1, 0).plusUser(5, 2, 1);
        assertThat(t).isEqualTo(new ArmTotals(2, 8, 3, 1, 9 + 25, 1 + 4, 1, 3 + 10, 5));
    }

    @Property(tries = 200)
    void mergingPartsEqualsAccumulatingAllUsers(
            @ForAll @Size(max = 40) List<@IntRange(max = 1000) Integer> xs, @ForAll @IntRange(max = 40) int split) {
        ArmTotals all = ArmTotals.EMPTY;
        ArmTotals left = ArmTotals.EMPTY;
        ArmTotals right = ArmTotals.EMPTY;
        for (int i = 0; i < xs.size(); i++) {
            long x = xs.get(i);
            long y = x / 3;
            long z = y / 2;
            all = all.plusUser(x, y, z);
            if (i < split) left = left.plusUser(x, y, z);
            else right = right.plusUser(x, y, z);
        }
        assertThat(left.plus(right)).isEqualTo(all);
        assertThat(right.plus(left)).isEqualTo(all);
        assertThat(all.plus(ArmTotals.EMPTY)).isEqualTo(all);
    }

    @Test
    void rejectsNegativeCounts() {
        assertThatThrownBy(() -> ArmTotals.EMPTY.plusUser(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArmTotals.EMPTY.plusUser(1, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArmTotals(1, 1, 1, 1, 1, 1, 1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overflowThrowsInsteadOfWrapping() {
        // 3.1e9² = 9.6e18 > 2^63 - 1.
        assertThatThrownBy(() -> ArmTotals.EMPTY.plusUser(3_100_000_000L, 0, 0)).isInstanceOf(ArithmeticException.class);
        ArmTotals big = ArmTotals.EMPTY.plusUser(3_000_000_000L, 0, 0);
        assertThatThrownBy(() -> big.plus(big)).isInstanceOf(ArithmeticException.class);
        // The documented bound: 10^8 users with 300 000 exposures each fit.
        ArmTotals oneUser = ArmTotals.EMPTY.plusUser(300_000, 300_000, 300_000);
        ArmTotals tenToTheEight = new ArmTotals(100_000_000L, oneUser.exposures() * 100_000_000L, oneUser.clicks() * 100_000_000L,
                oneUser.conversions() * 100_000_000L, oneUser.exposuresSquared() * 100_000_000L,
                oneUser.clicksSquared() * 100_000_000L, oneUser.conversionsSquared() * 100_000_000L,
                oneUser.exposuresTimesClicks() * 100_000_000L, oneUser.exposuresTimesConversions() * 100_000_000L);
        assertThat(tenToTheEight.exposuresSquared()).isEqualTo(9_000_000_000_000_000_000L);
    }

    @Test
    void jsonRoundTripUsesSnakeCaseNamesAndOnlyTheSums() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArmTotals t = ArmTotals.EMPTY.plusUser(3, 1, 0).plusUser(5, 2, 1);
        String json = mapper.writeValueAsString(t);
        JsonNode node = mapper.readTree(json);
        assertThat(node.properties()).extracting(java.util.Map.Entry::getKey).containsExactlyInAnyOrder(
                "users", "exposures", "clicks", "conversions", "exposures_squared", "clicks_squared",
                "conversions_squared", "exposures_times_clicks", "exposures_times_conversions");
        assertThat(node.get("exposures_times_clicks").asLong()).isEqualTo(13);
        assertThat(mapper.readValue(json, ArmTotals.class)).isEqualTo(t);
    }
}
