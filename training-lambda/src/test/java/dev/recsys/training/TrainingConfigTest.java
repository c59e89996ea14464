package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("DATA_BUCKET", "b");
        env.put("VARIANTS", "a=arn:aws:personalize:::recipe/aws-user-personalization-v2, b=arn:aws:personalize:::recipe/aws-popularity-count");
        env.put("IMPORT_ROLE_ARN", "arn:aws:iam::1:role/r");
        return env;
    }

    @Test
    void readsTheEnvironmentWithDefaults() {
        TrainingConfig c = TrainingConfig.fromEnv(env());
        assertThat(c.variants()).extracting(TrainingConfig.Variant::name).containsExactly("a", "b");
        assertThat(c.gateTolerance()).isEqualTo(0.02);
        assertThat(c.terraformOwned()).isFalse();
        assertThat(c.personalizeEndpoint()).isNull();
        assertThat(c.campaignName("a")).isEqualTo("recsys-a");
    }

    @Test
    void rejectsBadSettingsByName() {
        Map<String, String> e = env();
        e.remove("DATA_BUCKET");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(e)).hasMessageContaining("DATA_BUCKET");
        Map<String, String> v = env();
        v.put("VARIANTS", "a=arn:x,a=arn:y");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(v)).hasMessageContaining("twice");
        Map<String, String> t = env();
        t.put("GATE_TOLERANCE", "lots");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(t)).hasMessageContaining("GATE_TOLERANCE must be a number");
        Map<String, String> o = env();
        o.put("PERSONALIZE_RESOURCES_OWNER", "someone");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(o)).hasMessageContaining("pipeline or terraform");
        Map<String, String> n = env();
        n.put("VARIANTS", "Bad Name=arn:x");
        assertThatThrownBy(() -> TrainingConfig.fromEnv(n)).hasMessageContaining("variant name must match");
    }
}
