package dev.recsys.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.contract.Contract;
import dev.recsys.local.stack.env.RecordingEnvironment;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The training function's side of the contract's {@code environment.training_lambda}: {@link TrainingConfig#fromEnv}
 * (with {@link ExperimentConfig#fromEnv}) reads exactly the variables declared there, which Terraform sets by the same
 * keys; a key the contract lacks fails when the class loads (see common's ContractTest).
 */
class TrainingEnvironmentContractTest {

    private static final Contract.Variables DECLARED = Contract.get().environment().trainingLambda();

    @Test
    void theConfigurationReadsExactlyTheVariablesTheContractDeclares() {
        Map<String, String> env = new HashMap<>();
        env.put(DECLARED.name("aws_region"), "eu-west-1");
        env.put(DECLARED.name("data_bucket"), "recsys-data");
        env.put(DECLARED.name("variants"), "a=arn:aws:personalize:::recipe/aws-user-personalization-v2,b=arn:aws:personalize:::recipe/aws-popularity-count");
        env.put(DECLARED.name("import_role_arn"), "arn:aws:iam::123456789012:role/recsys-personalize");
        // The experiment's variables are read only when there is an experiments table.
        env.put(DECLARED.name("experiments_table"), "recsys-experiments");
        env.put(DECLARED.name("experiment_id"), "recs-ab-7");
        env.put(DECLARED.name("variant_weights"), "a=70,b=30");

        RecordingEnvironment recording = new RecordingEnvironment(env);
        TrainingConfig config = TrainingConfig.fromEnv(recording);

        assertThat(recording.read()).isEqualTo(new TreeSet<>(DECLARED.all()));
        assertThat(config.bucket()).isEqualTo("recsys-data");
        assertThat(config.experiment().experimentId()).isEqualTo("recs-ab-7");
        assertThat(config.experiment().weights()).containsExactly(Map.entry("a", 70), Map.entry("b", 30));
    }
}
