package dev.recsys.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recsys.api.support.TestApi;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RECSYS_FILTERS, RECSYS_DEFAULT_USER_FILTER and RECSYS_PROMOTIONS are checked at init, every message naming the variable. */
class FilterConfigTest {

    static final String ARN = "arn:aws:personalize:us-east-1:123456789012:filter/";

    private static Map<String, String> env(String filters) {
        Map<String, String> env = new HashMap<>(TestApi.baseEnv());
        env.put("RECSYS_FILTERS", filters);
        env.put("RECSYS_ITEMS_TABLE", "recsys-items");
        return env;
    }

    private static String filter(String name, String expression) {
        return "\"" + name + "\":{\"arn\":\"" + ARN + name + "\",\"expression\":\"" + expression + "\"}";
    }

    static final String FILTERS = "{" + filter("in-genre", "INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)") + ","
            + filter("unseen", TestApi.UNSEEN_EXPRESSION) + "}";

    @Test
    void filtersParseWithTheirExpressionsAndTheDefaultApplies() {
        Map<String, String> env = env(FILTERS);
        env.put("RECSYS_DEFAULT_USER_FILTER", "unseen");
        ApiConfig config = ApiConfig.fromEnvironment(env);
        assertThat(config.filters().all()).containsOnlyKeys("in-genre", "unseen");
        assertThat(config.filters().get("in-genre").expression().parameters()).containsExactly("GENRES");
        assertThat(config.filters().defaultUserFilter().arn()).isEqualTo(ARN + "unseen");
    }

    @Test
    void badFiltersFailInitNamingTheVariable() {
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env("{" + filter("broken", "INCLUDE ItemID WHERE") + "}")))
                .hasMessageContaining("RECSYS_FILTERS").hasMessageContaining("broken");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env("{\"x\":\"" + ARN + "x\"}"))).hasMessageContaining("RECSYS_FILTERS");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env("{\"x\":{\"arn\":\"" + ARN + "x\"}}"))).hasMessageContaining("no expression");
        Map<String, String> env = env(FILTERS);
        env.put("RECSYS_DEFAULT_USER_FILTER", "in-genre");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("RECSYS_DEFAULT_USER_FILTER")
                .hasMessageContaining("has parameters");
        env.put("RECSYS_DEFAULT_USER_FILTER", "nope");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("RECSYS_DEFAULT_USER_FILTER");
    }

    @Test
    void aFilterTheFallbackCannotEvaluateFailsInit() {
        Map<String, String> noItems = env(FILTERS);
        noItems.remove("RECSYS_ITEMS_TABLE");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(noItems)).hasMessageContaining("RECSYS_ITEMS_TABLE").hasMessageContaining("in-genre");
        Map<String, String> noInteractions = env(FILTERS);
        noInteractions.remove("RECSYS_INTERACTIONS_TABLE");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(noInteractions)).hasMessageContaining("RECSYS_INTERACTIONS_TABLE")
                .hasMessageContaining("unseen");
    }

    @Test
    void promotionsAreCheckedAgainstTheFiltersAndPersonalizesBounds() {
        Map<String, String> env = env(FILTERS);
        env.put("RECSYS_PROMOTIONS", "[{\"name\":\"comedy-week\",\"filter\":\"in-genre\",\"percent\":30,"
                + "\"filter_values\":{\"GENRES\":[\"comedy\"]},\"routes\":[\"trending\",\"similar_items\"]}]");
        var p = ApiConfig.fromEnvironment(env).promotions().get(0);
        assertThat(p.routes()).containsExactlyInAnyOrder("/trending", "/items/{itemId}/similar");
        assertThat(p.percent()).isEqualTo(30);
        assertThat(p.personalizeValues()).containsOnlyKeys("GENRES");

        for (String bad : new String[] {
                "[{\"name\":\"p\",\"filter\":\"nope\",\"percent\":30}]",
                "[{\"name\":\"p\",\"filter\":\"in-genre\",\"percent\":0,\"filter_values\":{\"GENRES\":[\"a\"]}}]",
                "[{\"name\":\"p\",\"filter\":\"in-genre\",\"percent\":101,\"filter_values\":{\"GENRES\":[\"a\"]}}]",
                "[{\"name\":\"p\",\"filter\":\"in-genre\",\"percent\":10}]",
                "[{\"name\":\"-p\",\"filter\":\"unseen\",\"percent\":10}]",
                "[{\"name\":\"p\",\"filter\":\"unseen\",\"percent\":10,\"routes\":[\"rankings\"]}]",
                "[{\"name\":\"p\",\"filter\":\"unseen\",\"percent\":10},{\"name\":\"q\",\"filter\":\"unseen\",\"percent\":10,\"routes\":[\"recommend\"]}]"}) {
            env.put("RECSYS_PROMOTIONS", bad);
            assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).as(bad).hasMessageContaining("RECSYS_PROMOTIONS");
        }
    }

    @Test
    void theTrendingCampaignMustBeACampaign() {
        Map<String, String> env = env(FILTERS);
        env.put("RECSYS_TRENDING_CAMPAIGN_ARN", ARN + "x");
        assertThatThrownBy(() -> ApiConfig.fromEnvironment(env)).hasMessageContaining("trending campaign");
    }
}
