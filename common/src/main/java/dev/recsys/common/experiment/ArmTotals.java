package dev.recsys.common.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * Sufficient statistics of one experiment arm, summed over its users: for each user u, x_u answers
 * shown (exposures), y_u clicks and z_u conversions attributed to the arm.
 *
 * <p>Why sums per user and not per exposure: the user is the randomisation unit, and one user's
 * exposures are correlated (a clicker clicks again). The delta method ({@link RatioEstimate}) needs
 * the first and second moments of the per-user counts, and these sums are all it needs. Because they
 * are plain sums, totals of disjoint sets of users merge with {@link #plus}, so shards, days or
 * partial scans can be aggregated in any order.
 *
 * <p>Overflow: every field is a {@code long} updated with exact arithmetic, so an overflow throws
 * {@link ArithmeticException} instead of silently wrapping. The first sum to overflow is Σx², and
 * Σx² ≤ n·max(x)² stays below 2⁶³ ≈ 9.2·10¹⁸ for, e.g., 10⁸ users who each saw up to 300 000
 * answers, which is far beyond any one arm of one experiment.
 *
 * <p>Clicks are not required to be at most exposures (attribution may count a click on an answer
 * shown under another request), only non-negative.
 *
 * @param users                     n, the number of users (randomisation units) in the arm
 * @param exposures                 Σx
 * @param clicks                    Σy
 * @param conversions               Σz
 * @param exposuresSquared          Σx²
 * @param clicksSquared             Σy²
 * @param conversionsSquared        Σz²
 * @param exposuresTimesClicks      Σxy
 * @param exposuresTimesConversions Σxz
 */
public record ArmTotals(
        @JsonProperty("users") long users,
        @JsonProperty("exposures") long exposures,
        @JsonProperty("clicks") long clicks,
        @JsonProperty("conversions") long conversions,
        @JsonProperty("exposures_squared") long exposuresSquared,
        @JsonProperty("clicks_squared") long clicksSquared,
        @JsonProperty("conversions_squared") long conversionsSquared,
        @JsonProperty("exposures_times_clicks") long exposuresTimesClicks,
        @JsonProperty("exposures_times_conversions") long exposuresTimesConversions) {

    /** The arm with no users; the identity of {@link #plus}. */
    public static final ArmTotals EMPTY = new ArmTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ArmTotals {
        if (users < 0 || exposures < 0 || clicks < 0 || conversions < 0 || exposuresSquared < 0
                || clicksSquared < 0 || conversionsSquared < 0 || exposuresTimesClicks < 0
                || exposuresTimesConversions < 0) {
            // Negative sums can only come from corrupted storage; every ratio below assumes counts.
            throw new IllegalArgumentException("arm totals must be non-negative: " + Arrays.toString(new long[] {users, exposures,
                    clicks, conversions, exposuresSquared, clicksSquared, conversionsSquared,
                    exposuresTimesClicks, exposuresTimesConversions}));
        }
    }

    /** These totals with one more user who saw {@code x} answers, clicked {@code y} times and converted {@code z} times. */
    public ArmTotals plusUser(long x, long y, long z) {
        if (x < 0 || y < 0 || z < 0) {
            throw new IllegalArgumentException("per-user counts must be non-negative: x=" + x + " y=" + y + " z=" + z);
        }
        return new ArmTotals(
                Math.addExact(users, 1),
                Math.addExact(exposures, x),
                Math.addExact(clicks, y),
                Math.addExact(conversions, z),
                Math.addExact(exposuresSquared, Math.multiplyExact(x, x)),
                Math.addExact(clicksSquared, Math.multiplyExact(y, y)),
                Math.addExact(conversionsSquared, Math.multiplyExact(z, z)),
                Math.addExact(exposuresTimesClicks, Math.multiplyExact(x, y)),
                Math.addExact(exposuresTimesConversions, Math.multiplyExact(x, z)));
    }

    /** The totals of the union of two disjoint sets of users. */
    public ArmTotals plus(ArmTotals other) {
        return new ArmTotals(
                Math.addExact(users, other.users),
                Math.addExact(exposures, other.exposures),
                Math.addExact(clicks, other.clicks),
                Math.addExact(conversions, other.conversions),
                Math.addExact(exposuresSquared, other.exposuresSquared),
                Math.addExact(clicksSquared, other.clicksSquared),
                Math.addExact(conversionsSquared, other.conversionsSquared),
                Math.addExact(exposuresTimesClicks, other.exposuresTimesClicks),
                Math.addExact(exposuresTimesConversions, other.exposuresTimesConversions));
    }

    /** Click-through rate Σy/Σx with its user-clustered standard error. */
    public RatioEstimate ctr() {
        return RatioEstimate.of(users, exposures, clicks, exposuresSquared, clicksSquared, exposuresTimesClicks);
    }

    /** Conversions per exposure Σz/Σx with its user-clustered standard error. */
    public RatioEstimate conversionRate() {
        return RatioEstimate.of(users, exposures, conversions, exposuresSquared, conversionsSquared,
                exposuresTimesConversions);
    }
}
