package dev.recsys.personalize.engine.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SpdInverseTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void inverseTimesMatrixIsIdentity(int threads) {
        int n = 60;
        Random r = new Random(7);
        double[] m = new double[n * n];
        // M = A'A + I is symmetric positive definite.
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < n; k++) s += a[k * n + i] * a[k * n + j];
                m[i * n + j] = s;
            }
        }
        double[] inv = m.clone();
        SpdInverse.invertInPlace(inv, n, threads);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += m[i * n + k] * inv[k * n + j];
                assertThat(s).isCloseTo(i == j ? 1 : 0, within(1e-8));
            }
        }
    }

    @Test
    void rejectsAMatrixThatIsNotPositiveDefinite() {
        double[] m = {1, 2, 2, 1};
        assertThatThrownBy(() -> SpdInverse.invertInPlace(m, 2, 2)).isInstanceOf(ArithmeticException.class);
    }
}
