package dev.recsys.local.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.workload.SyntheticWorkload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The route check against a scripted API: a fallback counts only where the quality gate refused that route's model. */
class RoutesCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = SyntheticWorkload.userId(1);
    private static final String REFUSAL = "NDCG@10 0.0476 is below the popularity baseline's 0.0794";

    private final SyntheticWorkload truth = new SyntheticWorkload(SyntheticWorkload.Config.reference(42, 0, 0));
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void everyRouteOnAModelPasses() throws Exception {
        RoutesCheck.Result r = check(modelAnswer("similar"), Map.of());
        assertThat(r.ok()).isTrue();
        assertThat(r.refusedRoutes()).isEmpty();
    }

    @Test
    void popularItemsWhereTheGateRefusedTheModelPassAndSayWhy() throws Exception {
        RoutesCheck.Result r = check(fallback("no_campaign"), Map.of("similar", REFUSAL));
        assertThat(r.ok()).isTrue();
        assertThat(r.refusedRoutes()).containsExactly("/items/{itemId}/similar");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("popular items, because the quality gate refused the 'similar' model this run: " + REFUSAL);
    }

    @Test
    void aFilterThatLetsAnotherCategoryOrAnUnavailableItemThroughFails() throws Exception {
        leak = "category";
        assertThat(check(modelAnswer("similar"), Map.of()).ok()).isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("(FAILED)");
        leak = "unavailable";
        assertThat(check(modelAnswer("similar"), Map.of()).ok()).isFalse();
        leak = "promotion";
        assertThat(check(modelAnswer("similar"), Map.of()).ok()).as("a promoted slot of another category").isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("POST ... promotions").contains("(FAILED)");
        leak = "plan";
        assertThat(check(modelAnswer("similar"), Map.of()).ok()).as("an item over 100 for a free-plan user").isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("free-plan-budget").contains("(FAILED)");
        leak = null;
        assertThat(check(modelAnswer("similar"), Map.of()).ok()).isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("checked: the engine's filters keep exactly what the catalog says")
                .contains("checked: IF CurrentUser applies the clause to the free plan only")
                .contains("checked: the promotion takes its share of slots, named in the answer, from its filter's items");
    }

    /** What the scripted API gets wrong: null (nothing), "category", "unavailable", "plan" or "promotion". */
    private String leak;

    @Test
    void aFallbackTheGateDidNotCauseFails() throws Exception {
        assertThat(check(fallback("no_campaign"), Map.of()).ok()).as("no refusal to explain it").isFalse();
        assertThat(check(fallback("campaign_error"), Map.of("similar", REFUSAL)).ok()).as("another reason").isFalse();
        assertThat(check(fallback("no_campaign"), Map.of("ranking", REFUSAL)).ok()).as("another route's refusal").isFalse();
    }

    private RoutesCheck.Result check(ObjectNode similarAnswer, Map<String, String> refused) throws Exception {
        if (server != null) server.stop(0);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            JsonNode body = path.equals("/rankings") ? JSON.readTree(exchange.getRequestBody()) : null;
            String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
            ObjectNode answer = path.startsWith("/items/") ? similarAnswer
                    : path.equals("/rankings") ? ranked(body.path("item_ids"))
                    : query.contains("filter=by-category") ? inCategory(query)
                    : query.contains("filter=free-plan-budget") ? budget(path.split("/")[2])
                    : path.equals("/recommendations") ? promoted() : modelAnswer("a");
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        printed.reset();
        URI api = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new RoutesCheck(api, new String[] {"x-api-key", "test"}, truth, refused, new PrintStream(printed, true, StandardCharsets.UTF_8)).run(USER);
    }

    /** Ten available items of the user's cluster: right for recommendations and for related items of the first one. */
    private ObjectNode modelAnswer(String solution) {
        ObjectNode a = JSON.createObjectNode().put("source", "personalize").put("variant", "a")
                .put("campaign_arn", "arn:aws:personalize:us-east-1:000000000000:campaign/recsys-" + solution)
                .put("model_version", "run-1");
        ArrayNode items = a.putArray("items");
        int cluster = truth.clusterOfUser(USER);
        for (CatalogItem item : truth.catalog(0)) {
            boolean unavailable = Boolean.FALSE.equals(item.available());
            if (items.size() < 10 && truth.clusterOfItem(item.itemId()) == cluster && (unavailable == "unavailable".equals(leak))) {
                items.addObject().put("item_id", item.itemId());
            }
        }
        return a;
    }

    /** Ten items of the requested category, tagged with it (one of another category when leaking). */
    private ObjectNode inCategory(String query) {
        String values = java.net.URLDecoder.decode(query.replaceAll(".*filter_values=([^&]*).*", "$1"), StandardCharsets.UTF_8);
        String category = values.replaceAll(".*\\[\"([^\"]+)\"].*", "$1");
        ObjectNode a = modelAnswer("a");
        ArrayNode items = a.putArray("items");
        for (CatalogItem item : truth.catalog(0)) {
            boolean match = item.category().equals(category) != (items.isEmpty() && "category".equals(leak));
            if (items.size() < 10 && match) items.addObject().put("item_id", item.itemId()).putObject("metadata").put("CATEGORY", category);
        }
        return a;
    }

    /** The model's answer with the demo promotion's 3 of 10 slots: items of its category (one of another when leaking). */
    private ObjectNode promoted() {
        ObjectNode a = modelAnswer("a");
        ArrayNode items = (ArrayNode) a.get("items");
        String category = truth.categoryOfCluster(0);
        int promoted = 0;
        for (CatalogItem item : truth.catalog(0)) {
            boolean wanted = item.category().equals(category) != ("promotion".equals(leak) && promoted == 0);
            if (promoted < 3 && wanted) {
                ((ObjectNode) items.get(promoted)).put("item_id", item.itemId()).put("promotion_name", RoutesCheck.PROMOTION);
                promoted++;
            }
        }
        return a;
    }

    /** free-plan-budget as Personalize applies it: nothing over 100 for the free plan (one item over when leaking). */
    private ObjectNode budget(String user) {
        boolean free = truth.users(0).stream().anyMatch(u -> u.userId().equals(user) && "free".equals(u.membership()));
        ObjectNode a = modelAnswer("a");
        ArrayNode items = a.putArray("items");
        for (CatalogItem item : truth.catalog(0)) {
            boolean over = item.price() > 100;
            boolean leakOne = "plan".equals(leak) && items.isEmpty();
            if (items.size() < 20 && (!free || !over || (leakOne && over))) items.addObject().put("item_id", item.itemId());
        }
        return a;
    }

    private ObjectNode ranked(JsonNode candidates) {
        List<String> order = new ArrayList<>();
        candidates.forEach(c -> order.add(c.asText()));
        int cluster = truth.clusterOfUser(USER);
        order.sort(Comparator.comparing(i -> truth.clusterOfItem(i) == cluster ? 0 : 1));
        ObjectNode a = modelAnswer("ranking");
        ArrayNode items = a.putArray("items");
        order.forEach(i -> items.addObject().put("item_id", i));
        return a;
    }

    private ObjectNode fallback(String reason) {
        ObjectNode a = JSON.createObjectNode().put("source", "fallback").put("fallback_reason", reason).put("model_version", "run-1");
        a.putArray("items").addObject().put("item_id", SyntheticWorkload.itemId(0));
        return a;
    }
}
