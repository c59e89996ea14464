package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentConfigTest {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("DATA_BUCKET", "b");
        env.put("VARIANTS", "a=arn:aws:personalize:::recipe/aws-user-personalization-v2,b=arn:aws:personalize:::recipe/aws-popularity-count");
        env.put("IMPORT_ROLE_ARN", "arn:aws:iam::1:role/r");
        env.put("EXPERIMENTS_TABLE", "recsys-experiments");
        env.put("EXPERIMENT_ID", "recs-ab-1");
        env.put("VARIANT_WEIGHTS", "a=60, b=40");
        return env;
    }

    @Test
    void withoutATableThereIsNoExperiment() {
        Map<String, String> e = env();
        e.remove("EXPERIMENTS_TABLE");
        assertThat(TrainingConfig.fromEnv(e).experiment()).isNull();
        e.put("EXPERIMENTS_TABLE", " ");
        e.remove("VARIANT_WEIGHTS");
        assertThat(TrainingConfig.fromEnv(e).experiment()).isNull();
    }

    @Test
    void readsTheEnvironmentWithDefaults() {
        TrainingConfig c = TrainingConfig.fromEnv(env());
        ExperimentConfig x = c.experiment();
        assertThat(x.table()).isEqualTo("recsys-experiments");
        assertThat(x.experimentId()).isEqualTo("recs-ab-1");
        assertThat(x.policy()).isEqualTo(ExperimentDecision.Policy.REPORT);
        assertThat(x.route()).isEqualTo("/users/{userId}/recommendations");
        assertThat(x.promoteStep()).isEqualTo(25);
        assertThat(x.weights()).containsExactly(Map.entry("a", 60), Map.entry("b", 40));
        assertThat(x.deployedSplit()).isEqualTo(new ExperimentDecision.Split("recs-ab-1", "recs-ab-1", x.weights(), null, null));
        assertThat(c.dynamoDbEndpoint()).isNull();

        Map<String, String> e = env();
        e.put("EXPERIMENT_POLICY", "promote");
        e.put("EXPERIMENT_ROUTE", "/recommendations");
        e.put("EXPERIMENT_PROMOTE_STEP", "10");
        e.put("DYNAMODB_ENDPOINT", "http://127.0.0.1:4567");
        c = TrainingConfig.fromEnv(e);
        assertThat(c.experiment().policy()).isEqualTo(ExperimentDecision.Policy.PROMOTE);
        assertThat(c.experiment().route()).isEqualTo("/recommendations");
        assertThat(c.experiment().promoteStep()).isEqualTo(10);
        assertThat(c.dynamoDbEndpoint()).hasToString("http://127.0.0.1:4567");
    }

    @Test
    void everyBadValueIsAnErrorNamingItsVariable() {
        assertRejected("EXPERIMENT_ID", null, "EXPERIMENT_ID is required when EXPERIMENTS_TABLE is set");
        assertRejected("EXPERIMENT_ID", "recs ab", "EXPERIMENT_ID must be a valid id");
        assertRejected("EXPERIMENT_POLICY", "auto", "EXPERIMENT_POLICY must be report or promote, got 'auto'");
        assertRejected("EXPERIMENT_ROUTE", "/nope", "EXPERIMENT_ROUTE must be one of");
        assertRejected("EXPERIMENT_PROMOTE_STEP", "0", "EXPERIMENT_PROMOTE_STEP must be in 1..100, got 0");
        assertRejected("EXPERIMENT_PROMOTE_STEP", "101", "EXPERIMENT_PROMOTE_STEP must be in 1..100, got 101");
        assertRejected("EXPERIMENT_PROMOTE_STEP", "ten", "EXPERIMENT_PROMOTE_STEP must be an integer in 1..100, got 'ten'");
        assertRejected("VARIANT_WEIGHTS", null, "VARIANT_WEIGHTS is required when EXPERIMENTS_TABLE is set");
        assertRejected("VARIANT_WEIGHTS", "a=50,b=40", "VARIANT_WEIGHTS must sum to 100");
        assertRejected("VARIANT_WEIGHTS", "a=50,c=50", "VARIANT_WEIGHTS must name exactly the variants of VARIANTS, in that order [a, b]");
        assertRejected("VARIANT_WEIGHTS", "a=100", "VARIANT_WEIGHTS must name exactly the variants of VARIANTS, in that order [a, b]");
        assertRejected("VARIANT_WEIGHTS", "b=50,a=50", "VARIANT_WEIGHTS must name exactly the variants of VARIANTS, in that order [a, b]");
        assertRejected("VARIANT_WEIGHTS", "a=50,a=50", "VARIANT_WEIGHTS names a twice");
        assertRejected("VARIANT_WEIGHTS", "a:50,b:50", "VARIANT_WEIGHTS must look like a=50,b=50");
        assertRejected("VARIANT_WEIGHTS", "a=half,b=50", "VARIANT_WEIGHTS: the weight of a must be an integer");
        assertRejected("VARIANT_WEIGHTS", "a=150,b=-50", "VARIANT_WEIGHTS: weights must be in 0..100");
    }

    private static void assertRejected(String variable, String value, String message) {
        Map<String, String> e = env();
        if (value == null) e.remove(variable); else e.put(variable, value);
        assertThatThrownBy(() -> TrainingConfig.fromEnv(e)).as("%s=%s", variable, value)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
