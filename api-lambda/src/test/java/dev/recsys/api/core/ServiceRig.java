package dev.recsys.api.core;

import dev.recsys.common.filter.FilterExpression;
import dev.recsys.common.filter.FilterInputs;
import dev.recsys.common.filter.FilterItem;
import dev.recsys.common.filter.FilterValues;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The core wired to in-memory ports: a catalog and histories, a popular list, and a model that filters its
 * candidates the way Personalize does, by the filter ARN and values it is sent (so a wrong ARN or wrong values
 * sent by the API show up as wrong answers). Fails on demand to exercise the fallback.
 */
final class ServiceRig {

    static final String CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/recs";
    static final String SIMS = "arn:aws:personalize:us-east-1:123456789012:campaign/sims";
    static final String TRENDING = "arn:aws:personalize:us-east-1:123456789012:campaign/trending";
    static final String RANKING = "arn:aws:personalize:us-east-1:123456789012:campaign/ranking";

    final Map<String, ItemCatalog.Entry> catalog = new HashMap<>();
    final Map<String, Map<String, Set<String>>> histories = new HashMap<>();
    /** Users' Users-dataset values ({@code IF CurrentUser}); absent: unknown. */
    final Map<String, FilterItem> users = new HashMap<>();
    final List<ScoredItem> popular = new ArrayList<>();
    /** What the model is asked, in order. */
    final List<ModelRequest> asked = new CopyOnWriteArrayList<>();
    /** The model's candidates before its filter, per request; default: the catalog in id order. */
    Function<ModelRequest, List<String>> candidates = r -> catalog.keySet().stream().sorted().toList();
    volatile FallbackReason failWith;
    final Filters filters;
    final Map<String, NamedFilter> byArn;
    final AnswerCache cache;
    final RecommendationService service;

    ServiceRig(Map<String, String> expressions, String defaultFilter, List<Promotion> promotions, AnswerCache cache) {
        Map<String, NamedFilter> named = new LinkedHashMap<>();
        expressions.forEach((name, text) -> named.put(name, new NamedFilter(name,
                "arn:aws:personalize:us-east-1:123456789012:filter/" + name, FilterExpression.parse(text))));
        this.filters = new Filters(named, defaultFilter);
        this.byArn = named.values().stream().collect(Collectors.toMap(NamedFilter::arn, f -> f));
        this.cache = cache;
        Split split = new Split() {
            @Override
            public String experiment() {
                return "exp-1";
            }

            @Override
            public Arm assign(String userId) {
                return new Arm() {
                    @Override
                    public String name() {
                        return "a";
                    }

                    @Override
                    public String campaignArn() {
                        return CAMPAIGN;
                    }
                };
            }
        };
        FallbackList list = new FallbackList() {
            @Override
            public String modelVersion() {
                return "v1";
            }

            @Override
            public List<ScoredItem> items() {
                return popular;
            }
        };
        this.service = new RecommendationService(() -> split, new RecommendationService.Campaigns(SIMS, RANKING, TRENDING), filters,
                promotions, new FilteringModel(), () -> list, userId -> true, itemId -> true,
                new RecommendationService.Catalog(ids -> {
                    Map<String, ItemCatalog.Entry> out = new HashMap<>();
                    for (String id : ids) if (catalog.containsKey(id)) out.put(id, catalog.get(id));
                    return out;
                }, userId -> histories.getOrDefault(userId, Map.of()), userId -> users.getOrDefault(userId, FilterItem.EMPTY)),
                cache, Exposures.NONE, Clock.systemUTC());
    }

    ServiceRig(Map<String, String> expressions, String defaultFilter) {
        this(expressions, defaultFilter, List.of(), null);
    }

    void item(String id, Map<String, List<String>> categorical, Map<String, Double> numeric) {
        Map<String, String> metadata = new LinkedHashMap<>();
        categorical.forEach((k, v) -> metadata.put(k, String.join("|", v)));
        numeric.forEach((k, v) -> metadata.put(k, Double.toString(v)));
        catalog.put(id, new ItemCatalog.Entry(new FilterItem(categorical, numeric), metadata));
    }

    void interacted(String user, String item, String eventType) {
        histories.computeIfAbsent(user, u -> new HashMap<>()).computeIfAbsent(item, i -> new java.util.HashSet<>()).add(eventType);
    }

    /** What Personalize would show for this filter and values: the truth answers are checked against. */
    boolean keeps(NamedFilter f, Map<String, List<String>> values, String user, String currentItem, String item) {
        return f.expression().bind(values).keeps(item, inputs(user, currentItem));
    }

    FilterInputs inputs(String user, String currentItem) {
        return new FilterInputs() {
            @Override
            public FilterItem item(String id) {
                ItemCatalog.Entry e = catalog.get(id);
                return e == null ? FilterItem.EMPTY : e.filterItem();
            }

            @Override
            public FilterItem currentItem() {
                return currentItem == null ? null : item(currentItem);
            }

            @Override
            public FilterItem currentUser() {
                return user == null ? FilterItem.EMPTY : users.getOrDefault(user, FilterItem.EMPTY);
            }

            @Override
            public java.util.Set<String> eventTypes(String id) {
                return histories.getOrDefault(user, Map.of()).getOrDefault(id, Set.of());
            }
        };
    }

    /** Personalize's part: applies the filter the request names, with the values it carries (decoded from Personalize's form). */
    private final class FilteringModel implements Model {
        @Override
        public ModelOutcome recommend(ModelRequest r) {
            asked.add(r);
            if (failWith != null) return new ModelOutcome.Failed(failWith, "scripted");
            List<ScoredItem> out = new ArrayList<>();
            for (String id : candidates.apply(r)) {
                if (out.size() == r.limit()) break;
                if (id.equals(r.itemId())) continue;
                if (r.filterArn() == null || byArn.get(r.filterArn()).expression().bind(FilterValues.parse(r.filterValues()))
                        .keeps(id, inputs(r.userId(), r.itemId()))) {
                    out.add(new ScoredItem(id, 0.5));
                }
            }
            return new ModelOutcome.Answered(new Recommendation(out, "model-" + asked.size()));
        }

        @Override
        public ModelOutcome rank(ModelRequest r, List<String> itemIds) {
            asked.add(r);
            if (failWith != null) return new ModelOutcome.Failed(failWith, "scripted");
            return new ModelOutcome.Answered(new Recommendation(itemIds.stream().filter(id -> r.filterArn() == null
                    || byArn.get(r.filterArn()).expression().bind(FilterValues.parse(r.filterValues())).keeps(id, inputs(r.userId(), null)))
                    .map(i -> new ScoredItem(i, 0.1)).toList(), "rank"));
        }

        @Override
        public String breakerState() {
            return "CLOSED";
        }
    }
}
