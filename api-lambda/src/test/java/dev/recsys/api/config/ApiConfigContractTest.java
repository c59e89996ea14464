package dev.recsys.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.contract.Contract;
import dev.recsys.local.stack.env.RecordingEnvironment;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The API's side of the contract's {@code environment.api_lambda}: the variables {@link ApiConfig#fromEnvironment} reads
 * are exactly the ones declared there (Terraform sets only declared ones; a key the contract lacks fails the read, see
 * common's ContractTest), and their values arrive where they belong.
 */
class ApiConfigContractTest {

    private static final Contract.Variables DECLARED = Contract.get().environment().apiLambda();
    private static final String CAMPAIGN = "arn:aws:personalize:eu-west-1:123456789012:campaign/recsys-a";

    @Test
    void apiConfigReadsExactlyTheVariablesTheContractDeclares() {
        // One environment per branch: without RECSYS_VARIANTS the single campaign is read; cache and exposure settings
        // only with a Redis URL and a stream.
        RecordingEnvironment single = new RecordingEnvironment(Map.of("RECSYS_CAMPAIGN_ARN", CAMPAIGN, "RECSYS_FALLBACK_STATIC_ITEMS", "pop-1"));
        RecordingEnvironment full = new RecordingEnvironment(Map.of(
                "RECSYS_VARIANTS", "[{\"name\":\"a\",\"campaign_arn\":\"" + CAMPAIGN + "\",\"weight\":100}]",
                "RECSYS_FILTERS", "{\"available\":{\"arn\":\"arn:aws:personalize:eu-west-1:123456789012:filter/recsys-available\","
                        + "\"expression\":\"EXCLUDE ItemID WHERE Items.AVAILABLE IN (\\\"false\\\")\"}}",
                "RECSYS_ITEMS_TABLE", "recsys-items",
                "RECSYS_REDIS_URL", "rediss://cache.example:6379",
                "RECSYS_EXPOSURE_STREAM", "recsys-interactions",
                "RECSYS_FALLBACK_STATIC_ITEMS", "pop-1"));
        ApiConfig.fromEnvironment(single);
        ApiConfig.fromEnvironment(full);
        Set<String> read = new TreeSet<>(single.read());
        read.addAll(full.read());
        assertThat(read).isEqualTo(new TreeSet<>(DECLARED.all()));
    }

    @Test
    void valuesArriveUnderTheContractsNames() {
        Map<String, String> env = new HashMap<>();
        env.put(DECLARED.name("campaign_arn"), CAMPAIGN);
        env.put(DECLARED.name("fallback_static_items"), "pop-1,pop-2");
        env.put(DECLARED.name("experiment"), "recs-ab-7");
        env.put(DECLARED.name("experiments_table"), "recsys-experiments");
        env.put(DECLARED.name("exposure_stream"), "recsys-interactions");
        env.put(DECLARED.name("exposure_queue"), "5000");
        ApiConfig config = ApiConfig.fromEnvironment(env);
        assertThat(config.experiment()).isEqualTo("recs-ab-7");
        assertThat(config.experimentsTable()).isEqualTo("recsys-experiments");
        assertThat(config.exposures().stream()).isEqualTo("recsys-interactions");
        assertThat(config.exposures().capacity()).isEqualTo(5000);
    }

    @Test
    void withoutAnExperimentTheContractsDefaultRuns() {
        ApiConfig config = ApiConfig.fromEnvironment(Map.of("RECSYS_CAMPAIGN_ARN", CAMPAIGN, "RECSYS_FALLBACK_STATIC_ITEMS", "pop-1"));
        assertThat(config.experiment()).isEqualTo(Contract.get().experiment().defaultId()).isEqualTo("recs-ab-1");
    }
}
