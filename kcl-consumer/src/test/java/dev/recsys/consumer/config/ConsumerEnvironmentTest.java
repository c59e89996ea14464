package dev.recsys.consumer.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.contract.Contract;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.config.ConfigurationKeys;

/**
 * The consumer's side of the contract's {@code environment.kcl_consumer}, the variables Terraform sets on the task.
 * The consumer reads its environment through consumer.yml's {@code ${VAR:-default}} placeholders (Dropwizard
 * substitutes them at start-up), so that file stays the consumer's own list: every declared variable must be one of
 * its placeholders, or the task would set a variable nothing reads. The one exception is the EMF library's switch.
 */
class ConsumerEnvironmentTest {

    private static final Contract.Variables DECLARED = Contract.get().environment().kclConsumer();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+):-");

    @Test
    void everyVariableTheTaskIsGivenIsOneConsumerYmlReads() throws Exception {
        Set<String> expected = new TreeSet<>(DECLARED.all());
        expected.remove(DECLARED.name("emf_environment"));
        assertThat(placeholders()).containsAll(expected);
    }

    @Test
    void theEmfSwitchIsTheLibrarysOwnVariable() {
        // aws-embedded-metrics reads AWS_EMF_<key> itself (EnvironmentConfigurationProvider): not a name to rename.
        assertThat(DECLARED.name("emf_environment"))
                .isEqualTo(ConfigurationKeys.ENV_VAR_PREFIX + "_" + ConfigurationKeys.ENVIRONMENT_OVERRIDE);
    }

    private static Set<String> placeholders() throws Exception {
        try (InputStream in = ConsumerEnvironmentTest.class.getResourceAsStream("/consumer.yml")) {
            Matcher m = PLACEHOLDER.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<String> names = new TreeSet<>();
            while (m.find()) names.add(m.group(1));
            return names;
        }
    }
}
