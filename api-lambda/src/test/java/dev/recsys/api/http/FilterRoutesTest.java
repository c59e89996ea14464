package dev.recsys.api.http;

import static dev.recsys.api.http.ApiRoutesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.api.core.ModelRequest;
import dev.recsys.api.support.Events;
import dev.recsys.api.support.TestApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Filters, their values, metadata columns and promotions on every recommendation route: what reaches the model, and every typed 400. */
class FilterRoutesTest {

    static final String ARN = "arn:aws:personalize:us-east-1:123456789012:filter/";
    static final String TRENDING = "arn:aws:personalize:us-east-1:123456789012:campaign/trending";
    static final String FILTERS = "{"
            + "\"unseen\":{\"arn\":\"" + TestApi.FILTER + "\",\"expression\":\"" + TestApi.UNSEEN_EXPRESSION + "\"},"
            + "\"in-genre\":{\"arn\":\"" + ARN + "in-genre\",\"expression\":\"INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)\"},"
            + "\"same-brand\":{\"arn\":\"" + ARN + "same-brand\",\"expression\":\"INCLUDE ItemID WHERE Items.BRAND IN (CurrentItem.BRAND)\"},"
            + "\"house\":{\"arn\":\"" + ARN + "house\",\"expression\":\"INCLUDE ItemID WHERE Items.BRAND IN (\\\"acme\\\")\"}}";

    private final TestApi api = new TestApi(Map.of("RECSYS_FILTERS", FILTERS, "RECSYS_ITEMS_TABLE", "recsys-items",
            "RECSYS_DEFAULT_USER_FILTER", "unseen", "RECSYS_TRENDING_CAMPAIGN_ARN", TRENDING,
            "RECSYS_PROMOTIONS", "[{\"name\":\"acme-first\",\"filter\":\"house\",\"percent\":25,\"routes\":[\"user_recommendations\",\"trending\"]}]"));

    @AfterEach
    void close() {
        api.close();
    }

    private ModelRequest last() {
        return api.model.requests.get(api.model.requests.size() - 1);
    }

    @Test
    void theNamedFilterAndItsValuesReachTheModelOnEveryRoute() {
        String values = "{\"GENRES\":[\"comedy\",\"drama\"]}";
        assertThat(api.invoke(Events.get("/users/u1/recommendations").query("filter", "in-genre").query("filter_values", values))
                .statusCode()).isEqualTo(200);
        assertThat(last().filterArn()).isEqualTo(ARN + "in-genre");
        assertThat(last().filterValues()).containsOnlyKeys("GENRES");
        assertThat(last().filterValues().get("GENRES")).contains("comedy").contains("drama");

        api.invoke(Events.post("/recommendations", "{\"user_id\":\"u1\",\"filter\":\"in-genre\",\"filter_values\":" + values + "}"));
        assertThat(last().filterArn()).isEqualTo(ARN + "in-genre");
        api.invoke(Events.get("/items/i-1/similar").query("filter", "same-brand"));
        assertThat(last().filterArn()).isEqualTo(ARN + "same-brand");
        assertThat(last().itemId()).isEqualTo("i-1");
        api.invoke(Events.get("/trending").query("filter", "in-genre").query("filter_values", "{\"GENRES\":\"comedy\"}"));
        assertThat(last().campaignArn()).isEqualTo(TRENDING);
        assertThat(last().filterArn()).isEqualTo(ARN + "in-genre");
        assertThat(last().userId()).isNull();
        api.invoke(Events.post("/rankings", "{\"user_id\":\"u1\",\"item_ids\":[\"a\",\"b\"],\"filter\":\"unseen\"}"));
        assertThat(last().filterArn()).isEqualTo(TestApi.FILTER);
    }

    @Test
    void userRecommendationsApplyTheDefaultFilterWhenTheRequestNamesNoneAndOtherRoutesDoNot() {
        api.invoke(Events.get("/users/u1/recommendations"));
        assertThat(last().filterArn()).as("GET").isEqualTo(TestApi.FILTER);
        api.invoke(Events.post("/recommendations", "{\"user_id\":\"u1\"}"));
        assertThat(last().filterArn()).as("POST").isEqualTo(TestApi.FILTER);
        api.invoke(Events.get("/items/i-1/similar").query("user_id", "u1"));
        assertThat(last().filterArn()).isNull();
        api.invoke(Events.get("/trending"));
        assertThat(last().filterArn()).isNull();
    }

    @Test
    void theConfiguredPromotionGoesToItsRoutesOnly() {
        api.invoke(Events.get("/users/u1/recommendations"));
        assertThat(last().promotion().name()).isEqualTo("acme-first");
        assertThat(last().promotion().percent()).isEqualTo(25);
        assertThat(last().promotion().filter().arn()).isEqualTo(ARN + "house");
        api.invoke(Events.get("/trending"));
        assertThat(last().promotion().name()).isEqualTo("acme-first");
        api.invoke(Events.post("/recommendations", "{\"user_id\":\"u1\"}"));
        assertThat(last().promotion()).as("not configured for POST /recommendations").isNull();
        api.invoke(Events.get("/items/i-1/similar"));
        assertThat(last().promotion()).isNull();
    }

    @Test
    void metadataColumnsReachTheModelAndBoundTheLimit() {
        assertThat(api.invoke(Events.get("/users/u1/recommendations").query("metadata_columns", "GENRES,PRICE")).statusCode()).isEqualTo(200);
        assertThat(last().metadataColumns()).containsExactly("GENRES", "PRICE");
        api.invoke(Events.post("/rankings", "{\"user_id\":\"u1\",\"item_ids\":[\"a\"],\"metadata_columns\":[\"BRAND\"]}"));
        assertThat(last().metadataColumns()).containsExactly("BRAND");
        assertThat(api.invoke(Events.get("/trending").query("metadata_columns", "GENRES").query("limit", "50")).statusCode()).isEqualTo(200);
        assertError(api.invoke(Events.get("/trending").query("metadata_columns", "GENRES").query("limit", "51")), 400, "invalid_limit");
        assertError(api.invoke(Events.post("/recommendations", "{\"user_id\":\"u1\",\"num_results\":51,\"metadata_columns\":[\"GENRES\"]}")),
                400, "invalid_num_results");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 51; i++) many.append(i == 0 ? "" : ",").append("\"i").append(i).append('"');
        assertError(api.invoke(Events.post("/rankings", "{\"user_id\":\"u1\",\"item_ids\":[" + many + "],\"metadata_columns\":[\"BRAND\"]}")),
                400, "invalid_item_ids");
    }

    @Test
    void unknownFilterNamesTheConfiguredOnes() {
        ProxyResponse r = api.invoke(Events.get("/trending").query("filter", "nope"));
        assertError(r, 400, "unknown_filter");
        assertThat(TestApi.body(r).get("error").get("message").asText()).contains("house", "in-genre", "same-brand", "unseen");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/users/u1/recommendations|in-genre||missing_filter_values",
            "/users/u1/recommendations|in-genre|{\"GENRES\":[\"a\"],\"OTHER\":[\"b\"]}|invalid_filter_values",
            "/users/u1/recommendations|unseen|{\"GENRES\":[\"a\"]}|invalid_filter_values",
            "/users/u1/recommendations||{\"GENRES\":[\"a\"]}|invalid_filter_values",
            "/users/u1/recommendations|in-genre|not json|invalid_filter_values",
            "/users/u1/recommendations|in-genre|[\"a\"]|invalid_filter_values",
            "/users/u1/recommendations|in-genre|{\"GENRES\":7}|invalid_filter_values",
            "/users/u1/recommendations|in-genre|{\"GENRES\":[]}|invalid_filter_values",
            "/users/u1/recommendations|in-genre|{\"GENRES\":[1]}|invalid_filter_values",
            "/users/u1/recommendations|in-genre|{\"$GENRES\":[\"a\"]}|invalid_filter_values",
            "/users/u1/recommendations|bad name!||invalid_filter",
            "/users/u1/recommendations|same-brand||invalid_filter",
            "/trending|unseen||invalid_filter",
            "/popular|unseen||invalid_filter",
            "/items/i-1/similar|unseen||invalid_filter",
            "/trending|nope||unknown_filter",
    })
    void everyFilterMistakeIsATyped400(String path, String filter, String values, String code) {
        Events e = Events.get(path);
        if (filter != null) e.query("filter", filter);
        if (values != null) e.query("filter_values", values);
        assertError(api.invoke(e), 400, code);
    }

    @Test
    void valuesBeyondPersonalizesLimitsAreATyped400() {
        StringBuilder many = new StringBuilder("{\"GENRES\":[");
        for (int i = 0; i < 2_000; i++) many.append(i == 0 ? "" : ",").append("\"genre-").append(i).append('"');
        ProxyResponse r = api.invoke(Events.get("/users/u1/recommendations").query("filter", "in-genre")
                .query("filter_values", many.append("]}").toString()));
        assertError(r, 400, "invalid_filter_values");
        assertError(api.invoke(Events.get("/users/u1/recommendations").query("filter", "in-genre")
                .query("filter_values", "{\"GENRES\":[\"" + "x".repeat(2_000) + "\"]}")), 400, "invalid_filter_values");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"user_id\":\"u1\",\"filter\":7}|invalid_filter",
            "{\"user_id\":\"u1\",\"filter\":\"nope\"}|unknown_filter",
            "{\"user_id\":\"u1\",\"filter\":\"in-genre\"}|missing_filter_values",
            "{\"user_id\":\"u1\",\"filter\":\"in-genre\",\"filter_values\":\"GENRES=a\"}|invalid_filter_values",
            "{\"user_id\":\"u1\",\"filter_values\":{\"GENRES\":\"a\"}}|invalid_filter_values",
            "{\"user_id\":\"u1\",\"metadata_columns\":\"GENRES\"}|invalid_metadata_columns",
            "{\"user_id\":\"u1\",\"metadata_columns\":[7]}|invalid_metadata_columns",
            "{\"user_id\":\"u1\",\"metadata_columns\":[\"TITLE\"]}|invalid_metadata_columns",
    })
    void postBodiesTooAreChecked(String body, String code) {
        assertError(api.invoke(Events.post("/recommendations", body)), 400, code);
        assertError(api.invoke(Events.post("/rankings", body.replace("{\"user_id\":\"u1\"", "{\"user_id\":\"u1\",\"item_ids\":[\"a\"]"))),
                400, code);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"TITLE", "GENRES,GENRES", "genres", "GENRES,", "CATEGORY,BRAND,GENRES,PRICE,AVAILABLE,CREATION_TIMESTAMP,ITEM_ID"})
    void metadataColumnsAreTheItemsDatasetsColumns(String columns) {
        for (String path : List.of("/users/u1/recommendations", "/items/i1/similar", "/trending", "/popular")) {
            assertError(api.invoke(Events.get(path).query("metadata_columns", columns)), 400, "invalid_metadata_columns");
        }
    }

    @Test
    void repeatedFilterParametersAreAmbiguous() {
        assertError(api.invoke(Events.get("/trending").repeatedQuery("filter", "unseen", "in-genre")), 400, "invalid_filter");
        assertError(api.invoke(Events.get("/popular").repeatedQuery("filter_values", "{}", "{}")), 400, "invalid_filter_values");
    }

    @Test
    void popularAnswersThePublishedListFilteredAndTrendingFallsBackToIt() {
        JsonNode popular = TestApi.body(api.invoke(Events.get("/popular").query("limit", "3")));
        assertThat(popular.get("items").findValuesAsText("item_id")).containsExactly("pop-1", "pop-2", "pop-3");
        assertThat(popular.get("variant").asText()).isEqualTo("popular");
        assertThat(popular.get("source").asText()).isEqualTo("fallback");
        assertThat(popular.has("fallback_reason")).isFalse();
        JsonNode trending = TestApi.body(api.invoke(Events.get("/trending").query("limit", "2")));
        assertThat(trending.get("source").asText()).isEqualTo("personalize");
        assertThat(trending.get("variant").asText()).isEqualTo("trending");
        assertThat(trending.get("campaign_arn").asText()).isEqualTo(TRENDING);
        api.model.fail(dev.recsys.api.support.GuardedRecommenderTestAccess.serverError(503));
        JsonNode down = TestApi.body(api.invoke(Events.get("/trending").query("limit", "2")));
        assertThat(down.get("fallback_reason").asText()).isEqualTo("backend_5xx");
        assertThat(down.get("items").findValuesAsText("item_id")).containsExactly("pop-1", "pop-2");
    }
}
