package dev.recsys.common.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * A ratio metric R = Σy/Σx of one arm (CTR, conversions per exposure) with a standard error that
 * treats the user, not the exposure, as the independent unit.
 *
 * <p>Why the delta method: exposures of one user are not independent, so the binomial
 * sqrt(R(1−R)/Σx) understates the error, badly when heavy users dominate. Following Deng, Knoblich
 * and Lu, "Applying the Delta Method in Metric Analytics: A Practical Guide with Novel Ideas"
 * (KDD 2018, doi:10.1145/3219819.3219919; their ratio-metric case, the first-order Taylor expansion
 * of Ȳ/X̄ around (μ_Y, μ_X) over i.i.d. users),
 *
 * <pre>
 *   Var(R) ≈ (1/n) · ( s_yy/X̄² − 2 Ȳ s_xy/X̄³ + Ȳ² s_xx/X̄⁴ )
 *          = n/(n−1) · Σ_u (y_u − R·x_u)² / (Σx)²
 * </pre>
 *
 * where the second line is the same quantity written with the per-user residuals of the ratio
 * (Cochran's ratio-estimator variance). It is evaluated exactly: the numerator
 * (Σx)²Σy² − 2ΣxΣyΣxy + (Σy)²Σx² = Σ_u(Σx·y_u − Σy·x_u)² is computed in integers, so there is no
 * catastrophic cancellation even for sums near 2⁶³, and it is never negative for sums of real users.
 *
 * <p>Variance denominator: the sample (co)variances s use n − 1 (the unbiased estimators, what R's
 * {@code var}/{@code cov} and the published delta-method implementations use). With x_u = 1 for
 * every user it reduces to sqrt(p(1−p)/(n−1)), the textbook Wald standard error times sqrt(n/(n−1));
 * at the sample sizes where a decision is taken (thousands of users) the difference is below 0.1%.
 * It also makes n = 1 undefined rather than falsely exact.
 *
 * <p>Degenerate cases never produce NaN: {@link #status()} says why there is no standard error, and
 * then {@code standardError} is 0 and the interval is the single point {@code estimate}; those
 * numbers carry no information and callers must check {@link #hasStandardError()} first.
 *
 * @param status        {@link Status#OK} when the standard error and interval are meaningful
 * @param users         n, the users behind the estimate
 * @param estimate      Σy/Σx, or 0 when there are no exposures
 * @param standardError delta-method standard error (0 unless status is OK)
 * @param ciLow         lower end of the 95% Wald interval estimate ± 1.96·SE (not clipped at 0)
 * @param ciHigh        upper end of the 95% interval
 */
public record RatioEstimate(
        @JsonProperty("status") Status status,
        @JsonProperty("users") long users,
        @JsonProperty("estimate") double estimate,
        @JsonProperty("standard_error") double standardError,
        @JsonProperty("ci_low") double ciLow,
        @JsonProperty("ci_high") double ciHigh) {

    /** Why an estimate does or does not have a standard error. */
    public enum Status {
        OK,
        /** Fewer than two users: a variance across users cannot be estimated. */
        TOO_FEW_USERS,
        /** Σx = 0: the ratio itself is undefined. */
        NO_EXPOSURES,
        /**
         * Every user has exactly the ratio R (for instance no clicks at all): the estimated variance is
         * 0, which would make any difference look infinitely significant.
         */
        ZERO_VARIANCE
    }

    /** Φ⁻¹(0.975), the two-sided 95% normal quantile. */
    static final double Z_95 = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.975);

    public RatioEstimate {
        if (status == null) throw new IllegalArgumentException("status is required");
    }

    /**
     * The ratio Σnumerator/Σdenominator over {@code users} users, from the per-user sums.
     *
     * @param denominatorSquared Σx²
     * @param numeratorSquared   Σy²
     * @param product            Σxy
     */
    public static RatioEstimate of(long users, long denominator, long numerator,
                                   long denominatorSquared, long numeratorSquared, long product) {
        if (users < 2) {
            return degenerate(Status.TOO_FEW_USERS, users, denominator, numerator);
        }
        if (denominator == 0) {
            return degenerate(Status.NO_EXPOSURES, users, denominator, numerator);
        }
        BigInteger x = BigInteger.valueOf(denominator);
        BigInteger y = BigInteger.valueOf(numerator);
        // Σ_u (X·y_u − Y·x_u)², exactly.
        BigInteger residualSquares = x.multiply(x).multiply(BigInteger.valueOf(numeratorSquared))
                .subtract(x.multiply(y).multiply(BigInteger.valueOf(product)).shiftLeft(1))
                .add(y.multiply(y).multiply(BigInteger.valueOf(denominatorSquared)));
        if (residualSquares.signum() <= 0) {
            // = 0: every user has the same ratio. < 0 is impossible for sums of real users.
            return degenerate(Status.ZERO_VARIANCE, users, denominator, numerator);
        }
        double ratio = (double) numerator / denominator;
        double xSquared = (double) denominator * denominator;
        double variance = residualSquares.doubleValue() / xSquared / xSquared * users / (users - 1);
        double se = Math.sqrt(variance);
        return new RatioEstimate(Status.OK, users, ratio, se, ratio - Z_95 * se, ratio + Z_95 * se);
    }

    /** Whether {@link #standardError()} and the interval are meaningful. */
    public boolean hasStandardError() {
        return status == Status.OK;
    }

    private static RatioEstimate degenerate(Status status, long users, long denominator, long numerator) {
        double ratio = denominator == 0 ? 0.0 : (double) numerator / denominator;
        return new RatioEstimate(status, users, ratio, 0.0, ratio, ratio);
    }
}
