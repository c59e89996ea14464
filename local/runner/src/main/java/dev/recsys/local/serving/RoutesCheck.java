package dev.recsys.local.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.catalog.CatalogItem;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.training.SolutionRole;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every recommendation route of the API, asked once as a client would, each answer checked: it came
 * from a model (source, campaign and model version in the body), related items of an item come from
 * its planted taste cluster, and a ranking puts the user's cluster first more often than not. A route whose
 * model the quality gate refused (and no earlier campaign serves) must answer from popular items, and the
 * line says why; that is the gate working, not a failed route.
 */
public final class RoutesCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param ok            every route answered from a model (and its cluster check held) or, where the gate refused
     *                      the model, from popular items with {@code no_campaign}
     * @param refusedRoutes the routes that answered from popular items because the gate refused their model
     */
    public record Result(boolean ok, List<String> refusedRoutes) {}

    private final URI api;
    private final String[] callerHeaders;
    private final SyntheticWorkload truth;
    private final Map<String, String> refused;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> refusedRoutes = new ArrayList<>();

    /** @param refused solution name to the quality gate's reason, for the models refused this run that nothing serves */
    public RoutesCheck(URI api, String[] callerHeaders, SyntheticWorkload truth, Map<String, String> refused, PrintStream out) {
        this.api = api;
        this.callerHeaders = callerHeaders;
        this.truth = truth;
        this.refused = Map.copyOf(refused);
        this.out = out;
    }

    /** The demo's promotion: 30% of POST /recommendations' slots for the best items of one category. */
    static final String PROMOTION = "featured";
    static final int PROMOTION_PERCENT = 30;

    /** RECSYS_PROMOTIONS for the demo: {@link #PROMOTION} through the by-category filter, on POST /recommendations only. */
    public static String demoPromotions(SyntheticWorkload truth) {
        return "[{\"name\":\"" + PROMOTION + "\",\"filter\":\"by-category\",\"percent\":" + PROMOTION_PERCENT
                + ",\"filter_values\":{\"CATEGORY\":[\"" + truth.categoryOfCluster(0) + "\"]},\"routes\":[\"recommend\"]}]";
    }

    public Result run(String user) throws Exception {
        boolean ok = true;
        JsonNode recs = get("/users/" + user + "/recommendations?limit=10");
        ok &= answered("GET  /users/{userId}/recommendations", recs, recs.path("variant").asText(), "") != Source.WRONG;
        JsonNode posted = post("/recommendations", "{\"user_id\":\"" + user + "\",\"num_results\":10}");
        ok &= answered("POST /recommendations", posted, posted.path("variant").asText(), "") != Source.WRONG;
        ok &= promoted(posted);

        String seed = recs.path("items").path(0).path("item_id").asText();
        JsonNode similar = get("/items/" + seed + "/similar?limit=10");
        int cluster = truth.clusterOfItem(seed);
        long same = 0, n = 0;
        for (JsonNode i : similar.path("items")) {
            n++;
            if (truth.clusterOfItem(i.path("item_id").asText()) == cluster) same++;
        }
        boolean clustered = n > 0 && same * 10 >= n * 7;
        Source related = answered("GET  /items/{itemId}/similar", similar, SolutionRole.RELATED_ITEMS.fixedName(),
                String.format(Locale.ROOT, "; %d of %d related items share %s's planted cluster%s", same, n, seed,
                        clustered ? "" : " (FAILED: < 70%)"));
        ok &= related == Source.GATE_REFUSED || (related == Source.MODEL && clustered);

        // Five items of the user's cluster and five of others, interleaved: a personal ranking separates them.
        int userCluster = truth.clusterOfUser(user);
        List<String> mine = new ArrayList<>(), others = new ArrayList<>();
        for (int i = 0; i < truth.config().items() && (mine.size() < 5 || others.size() < 5); i++) {
            String item = SyntheticWorkload.itemId(i);
            if (truth.clusterOfItem(item) == userCluster) {
                if (mine.size() < 5) mine.add(item);
            } else if (others.size() < 5) {
                others.add(item);
            }
        }
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            candidates.add(others.get(i));
            candidates.add(mine.get(i));
        }
        JsonNode ranked = post("/rankings", "{\"user_id\":\"" + user + "\",\"item_ids\":" + JSON.writeValueAsString(candidates) + "}");
        List<String> order = new ArrayList<>();
        ranked.path("items").forEach(i -> order.add(i.path("item_id").asText()));
        long above = 0;
        for (String m : mine) for (String o : others) if (order.indexOf(m) >= 0 && order.indexOf(m) < order.indexOf(o)) above++;
        boolean personal = above * 2 > 25;
        Source ranking = answered("POST /rankings", ranked, SolutionRole.RANKING.fixedName(), String.format(Locale.ROOT,
                "; the user's cluster ranks above the others in %d of 25 pairs%s", above, personal ? "" : " (FAILED)"));
        ok &= ranking == Source.GATE_REFUSED || (ranking == Source.MODEL && personal);
        JsonNode trending = get("/trending?limit=10");
        ok &= answered("GET  /trending", trending, SolutionRole.TRENDING.fixedName(), "; Trending-Now: growth over the last fifth of the"
                + " training window") != Source.WRONG;
        ok &= filtered(user);
        ok &= perUserClause();
        return new Result(ok, List.copyOf(refusedRoutes));
    }

    /**
     * The engine's filters through the API: a category filter with a request value keeps only that category (and the
     * answer carries each item's category as metadata), and the default filter never returns an unavailable item.
     * Checked against the synthetic catalog, not against the engine's own view of it.
     */
    private boolean filtered(String user) throws Exception {
        Map<String, CatalogItem> catalog = new java.util.HashMap<>();
        truth.catalog(0).forEach(i -> catalog.put(i.itemId(), i));
        String category = truth.categoryOfCluster((truth.clusterOfUser(user) + 1) % truth.config().clusters());
        String values = java.net.URLEncoder.encode("{\"CATEGORY\":[\"" + category + "\"]}", java.nio.charset.StandardCharsets.UTF_8);
        JsonNode answer = get("/users/" + user + "/recommendations?limit=10&filter=by-category&filter_values=" + values
                + "&metadata_columns=CATEGORY");
        long inCategory = 0, tagged = 0, n = 0;
        for (JsonNode i : answer.path("items")) {
            n++;
            CatalogItem item = catalog.get(i.path("item_id").asText());
            if (item != null && category.equals(item.category())) inCategory++;
            if (category.equals(i.path("metadata").path("CATEGORY").asText())) tagged++;
        }
        boolean byCategory = "personalize".equals(answer.path("source").asText()) && n > 0 && inCategory == n && tagged == n;
        JsonNode plain = get("/users/" + user + "/recommendations?limit=50");
        long unavailable = 0, m = 0;
        for (JsonNode i : plain.path("items")) {
            m++;
            CatalogItem item = catalog.get(i.path("item_id").asText());
            if (item != null && Boolean.FALSE.equals(item.available())) unavailable++;
        }
        long unavailableInCatalog = catalog.values().stream().filter(i -> Boolean.FALSE.equals(i.available())).count();
        boolean defaultFilter = "personalize".equals(plain.path("source").asText()) && m > 0 && unavailable == 0;
        out.printf(Locale.ROOT, "  %-36s source=%s; %d of %d items in %s, %d carry it as metadata%s%n",
                "GET  ...?filter=by-category", answer.path("source").asText("-"), inCategory, n, category, tagged, byCategory ? "" : " (FAILED)");
        out.printf(Locale.ROOT, "  %-36s source=%s; %d of %d items unavailable (the catalog marks %d)%s%n",
                "GET  ... default filter", plain.path("source").asText("-"), unavailable, m, unavailableInCatalog,
                defaultFilter ? "" : " (FAILED)");
        if (byCategory && defaultFilter) out.println("  checked: the engine's filters keep exactly what the catalog says, with metadata");
        return byCategory && defaultFilter;
    }

    /**
     * A clause for some users only: {@code free-plan-budget} drops items over 100 for users on the free plan (the
     * Users dataset, imported by the pipeline) and nothing for the others. Checked against the synthetic users and
     * catalog: no item over 100 for a free user, some for a premium one.
     */
    private boolean perUserClause() throws Exception {
        Map<String, Double> price = new java.util.HashMap<>();
        truth.catalog(0).forEach(i -> price.put(i.itemId(), i.price()));
        String[] plans = {"free", "premium"};
        String[] users = new String[2];
        long[] over = new long[2];
        long[] n = new long[2];
        for (int k = 0; k < 2; k++) {
            // The first user of the plan the model knows (a user without history is answered by the fallback).
            for (var u : truth.users(0)) {
                if (!plans[k].equals(u.membership())) continue;
                JsonNode answer = get("/users/" + u.userId() + "/recommendations?limit=50&filter=free-plan-budget");
                if (!"personalize".equals(answer.path("source").asText())) continue;
                users[k] = u.userId();
                for (JsonNode i : answer.path("items")) {
                    n[k]++;
                    if (price.getOrDefault(i.path("item_id").asText(), 0.0) > 100) over[k]++;
                }
                break;
            }
        }
        boolean ok = users[0] != null && users[1] != null && n[0] > 0 && over[0] == 0 && over[1] > 0;
        out.printf(Locale.ROOT, "  %-36s source=personalize; %s (free plan): %d of %d items over 100; %s (premium): %d of %d%s%n",
                "GET  ...?filter=free-plan-budget", users[0], over[0], n[0], users[1], over[1], n[1], ok ? "" : " (FAILED)");
        if (ok) out.println("  checked: IF CurrentUser applies the clause to the free plan only (the Users dataset)");
        return ok;
    }

    /**
     * Personalize's promotions: {@link #PROMOTION_PERCENT}% of the slots (at least one) hold items the promotion's
     * filter keeps, each named by the promotion; the rest are the model's. Checked against the synthetic catalog.
     */
    private boolean promoted(JsonNode answer) {
        String category = truth.categoryOfCluster(0);
        Map<String, String> categoryOf = new java.util.HashMap<>();
        truth.catalog(0).forEach(i -> categoryOf.put(i.itemId(), i.category()));
        int n = answer.path("items").size();
        long named = 0, inCategory = 0;
        for (JsonNode i : answer.path("items")) {
            if (!PROMOTION.equals(i.path("promotion_name").asText(null))) continue;
            named++;
            if (category.equals(categoryOf.get(i.path("item_id").asText()))) inCategory++;
        }
        long expected = Math.max(1, n * PROMOTION_PERCENT / 100);
        boolean ok = "personalize".equals(answer.path("source").asText()) && named == expected && inCategory == named;
        out.printf(Locale.ROOT, "  %-36s %d of %d slots promoted by '%s' (%d%%: %d expected), %d of them in %s%s%n",
                "POST ... promotions", named, n, PROMOTION, PROMOTION_PERCENT, expected, inCategory, category, ok ? "" : " (FAILED)");
        if (ok) out.println("  checked: the promotion takes its share of slots, named in the answer, from its filter's items");
        return ok;
    }

    private enum Source { MODEL, GATE_REFUSED, WRONG }

    /** Prints the route's answer; a model answer, or popular items where the gate refused {@code solution}'s model. */
    private Source answered(String route, JsonNode answer, String solution, String extra) {
        boolean model = "personalize".equals(answer.path("source").asText()) && answer.hasNonNull("campaign_arn")
                && answer.hasNonNull("model_version");
        String campaign = answer.path("campaign_arn").asText("-");
        String fallback = answer.path("fallback_reason").asText(null);
        String why = refused.get(solution);
        boolean gateRefused = !model && why != null && "fallback".equals(answer.path("source").asText())
                && "no_campaign".equals(fallback);
        out.printf("  %-36s source=%s campaign=%s model_version=%s%s%s%n", route, answer.path("source").asText("-"),
                campaign.substring(campaign.lastIndexOf('/') + 1), answer.path("model_version").asText("-"),
                fallback == null ? "" : " fallback_reason=" + fallback,
                gateRefused ? "; popular items, because the quality gate refused the '" + solution + "' model this run: " + why
                        : extra);
        if (gateRefused) refusedRoutes.add(route.substring(5).trim());
        return model ? Source.MODEL : gateRefused ? Source.GATE_REFUSED : Source.WRONG;
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api + path)).GET());
    }

    private JsonNode post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(api + path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.headers(callerHeaders).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
