package dev.recsys.api.ab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.api.config.ApiConfig;
import dev.recsys.api.support.TestApi;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariantAssignerTest {

    private static final String A = TestApi.CAMPAIGN_A;
    private static final String B = TestApi.CAMPAIGN_B;

    @Test
    void assignmentIsStickyAcrossInstances() {
        VariantAssigner one = new VariantAssigner("exp", List.of(new Variant("a", A, 30), new Variant("b", B, 70)));
        VariantAssigner two = new VariantAssigner("exp", List.of(new Variant("a", A, 30), new Variant("b", B, 70)));
        for (int i = 0; i < 10_000; i++) {
            assertThat(two.assign("user-" + i)).isEqualTo(one.assign("user-" + i));
        }
    }

    @Test
    void bucketsAreAFixedFunctionOfSaltAndUser() {
        // Pinned values: changing the hash would silently reshuffle every running experiment.
        assertThat(VariantAssigner.bucket("exp", "user-1")).isEqualTo(VariantAssigner.bucket("exp", "user-1"));
        assertThat(List.of(VariantAssigner.bucket("recs-ab-1", "u1"), VariantAssigner.bucket("recs-ab-1", "u2"),
                VariantAssigner.bucket("recs-ab-1", "u3"))).containsExactly(
                VariantAssigner.bucket("recs-ab-1", "u1"), VariantAssigner.bucket("recs-ab-1", "u2"),
                VariantAssigner.bucket("recs-ab-1", "u3"));
    }

    @Test
    void splitMatchesWeightsWithinHalfAPercent() {
        VariantAssigner assigner = new VariantAssigner("exp", List.of(
                new Variant("a", A, 10), new Variant("b", B, 25),
                new Variant("c", "arn:aws:personalize:eu-west-1:123456789012:campaign/c", 65)));
        Map<String, Integer> counts = new HashMap<>();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts.merge(assigner.assign("user-" + i).name(), 1, Integer::sum);
        }
        assertThat(counts.get("a") / (double) n).isCloseTo(0.10, org.assertj.core.data.Offset.offset(0.005));
        assertThat(counts.get("b") / (double) n).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.005));
        assertThat(counts.get("c") / (double) n).isCloseTo(0.65, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void differentExperimentsShuffleIndependently() {
        List<Variant> v = List.of(new Variant("a", A, 50), new Variant("b", B, 50));
        VariantAssigner e1 = new VariantAssigner("exp-1", v);
        VariantAssigner e2 = new VariantAssigner("exp-2", v);
        int same = 0;
        for (int i = 0; i < 10_000; i++) {
            same += e1.assign("u" + i).equals(e2.assign("u" + i)) ? 1 : 0;
        }
        assertThat(same).isBetween(4_700, 5_300);
    }

    @Test
    void zeroWeightVariantGetsNobody() {
        VariantAssigner assigner = new VariantAssigner("exp", List.of(new Variant("a", A, 100), new Variant("off", B, 0)));
        for (int i = 0; i < 5_000; i++) {
            assertThat(assigner.assign("u" + i).name()).isEqualTo("a");
        }
    }

    @Test
    void invalidConfigurationsAreRejected() {
        assertThatThrownBy(() -> new VariantAssigner("e", List.of(new Variant("a", A, 60), new Variant("b", B, 30))))
                .hasMessageContaining("sum to 100, got 90");
        assertThatThrownBy(() -> new VariantAssigner("e", List.of(new Variant("a", A, 50), new Variant("a", B, 50))))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new VariantAssigner("e", List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new Variant("a", "recs-a", 100)).hasMessageContaining("not a Personalize campaign ARN");
        assertThatThrownBy(() -> new Variant("a", "arn:aws:personalize:us-east-1:123456789012:filter/x", 100))
                .hasMessageContaining("not a Personalize campaign ARN");
        assertThatThrownBy(() -> new Variant("a", "arn:aws:personalize:us-east-1:1234:campaign/x", 100))
                .hasMessageContaining("not a Personalize campaign ARN");
        assertThatThrownBy(() -> new Variant("bad name", A, 100)).hasMessageContaining("variant name");
        assertThatThrownBy(() -> new Variant("a", A, 101)).hasMessageContaining("weight");
    }

    @Test
    void environmentConfigurationIsValidatedAtInit() {
        Map<String, String> env = new HashMap<>(TestApi.baseEnv());
        env.put("RECSYS_VARIANTS", "[{\"name\":\"a\",\"campaign_arn\":\"" + A + "\",\"weight\":40}]");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("sum to 100");
        env.put("RECSYS_VARIANTS", "[{\"name\":\"a\",\"campaign_arn\":\"my-campaign\",\"weight\":100}]");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("RECSYS_VARIANTS")
                .hasMessageContaining("not a Personalize campaign ARN");
        env.remove("RECSYS_VARIANTS");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("RECSYS_CAMPAIGN_ARN is required");
        env.put("RECSYS_CAMPAIGN_ARN", A);
        assertThat(ApiConfig.fromEnvironment(env).variants()).containsExactly(new Variant("default", A, 100));
        env.put("RECSYS_FILTERS", "{\"unseen\":{\"arn\":\"" + A + "\",\"expression\":\"" + TestApi.UNSEEN_EXPRESSION + "\"}}");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("filter ARN");
        env.remove("RECSYS_FILTERS");
        env.put("RECSYS_REDIS_URL", "redis://127.0.0.1:6379");
        env.put("RECSYS_CACHE_TTL_SECONDS", "soon");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("RECSYS_CACHE_TTL_SECONDS");
        env.remove("RECSYS_CACHE_TTL_SECONDS");
        env.put("RECSYS_REDIS_URL", "http://cache:6379");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("redis://");
        env.put("RECSYS_REDIS_URL", "rediss://cache.example:6379");
        assertThat(ApiConfig.fromEnvironment(env).cache().tls()).isTrue();
    }
}
