package dev.recsys.personalize.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.filter.FilterExpression;
import dev.recsys.common.filter.FilterInputs;
import dev.recsys.common.filter.FilterItem;
import dev.recsys.common.filter.FilterValues;
import dev.recsys.common.filter.ItemFilter;
import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.personalize.engine.catalog.CatalogItem;
import dev.recsys.personalize.engine.catalog.ItemCatalogs;
import dev.recsys.personalize.engine.control.ControlPlane;
import dev.recsys.personalize.engine.control.ControlPlane.CampaignView;
import dev.recsys.personalize.engine.control.ErrorCode;
import dev.recsys.personalize.engine.control.ServiceException;
import dev.recsys.personalize.engine.recipes.ModelScore;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Personalize runtime and events: GetRecommendations and GetPersonalizedRanking (with filters and item
 * metadata), PutEvents and PutItems. A user's history is their training history plus what PutEvents
 * reported since; filters read the dataset group's catalog and the user's event types.
 */
public final class RuntimeService {

    static final int MAX_RESULTS = 500, DEFAULT_RESULTS = 25, MAX_INPUT_LIST = 500, MAX_EVENTS = 10, MAX_ID = 256;

    /** Personalize's bounds with item metadata: at most 10 columns, and then at most 50 results. */
    static final int MAX_METADATA_COLUMNS = 10, MAX_RESULTS_WITH_METADATA = 50, MAX_PUT_ITEMS = 10;
    static final String EXPLORATION_REASON = "Exploration";
    private static final java.util.regex.Pattern PROMOTION_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}");

    private final ControlPlane control;
    private final LiveHistory live;
    private final TrackedEvents tracked;
    private final ObjectMapper json;
    private final HistoricalEventTypes historicalTypes;
    private final Map<String, FilterExpression> parsedFilters = new ConcurrentHashMap<>();

    public RuntimeService(ControlPlane control, LiveHistory live, TrackedEvents tracked, ObjectMapper json) {
        this.control = control;
        this.live = live;
        this.tracked = tracked;
        this.json = json;
        this.historicalTypes = new HistoricalEventTypes(control);
    }

    public ObjectNode getRecommendations(ObjectNode r) {
        CampaignView campaign = activeCampaign(r);
        if (campaign.recipe().ranksCandidates()) {
            throw ServiceException.invalid("Campaign " + campaign.campaignArn() + " uses a personalized-ranking recipe; call GetPersonalizedRanking");
        }
        int n = r.path("numResults").asInt(DEFAULT_RESULTS);
        if (n < 1 || n > MAX_RESULTS) throw ServiceException.invalid("numResults must be in [1, " + MAX_RESULTS + "]");
        List<String> columns = metadataColumns(r, n);
        String userId = text(r, "userId");
        String itemId = text(r, "itemId");
        TrainedModel model = control.models().get(campaign.solutionVersionId());
        if (campaign.recipe().needsItemId() && itemId == null) throw ServiceException.invalid("itemId is required for a related-items campaign");
        if (campaign.recipe().needsUserId() && userId == null) {
            throw ServiceException.invalid("userId is required for campaign " + campaign.campaignArn());
        }
        Predicate<String> keep = filter(r, campaign, userId, itemId);
        Promotion promotion = promotion(r, campaign, userId, itemId);
        int[] history = userId == null ? new int[0] : history(model, campaign, userId);
        int seed = campaign.recipe().needsItemId() ? model.data().itemIndex(itemId) : -1;
        // A promotion's filter picks its share of the slots; the request's filter applies to the rest only.
        List<ModelScore> promoted = promotion == null ? List.of() : best(model, campaign, seed, history, promotion.slots(n), promotion.keep());
        Set<String> taken = new java.util.HashSet<>();
        promoted.forEach(p -> taken.add(p.itemId()));
        List<ModelScore> explored = explore(campaign, model, history, n - promoted.size(), keep, taken);
        explored.forEach(p -> taken.add(p.itemId()));
        Predicate<String> rest = taken.isEmpty() ? keep : id -> !taken.contains(id) && (keep == null || keep.test(id));
        List<ModelScore> items = best(model, campaign, seed, history, n - promoted.size() - explored.size(), rest);
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("itemList");
        if (promoted.isEmpty() && explored.isEmpty()) {
            write(list, items, campaign, columns, null, false);
        } else {
            mixIn(list, items, promoted, promotion == null ? null : promotion.name(), explored, campaign, columns);
        }
        out.put("recommendationId", "RID-" + UUID.randomUUID());
        return out;
    }

    public ObjectNode getPersonalizedRanking(ObjectNode r) {
        if (r.path("promotions").isArray() && !r.path("promotions").isEmpty()) {
            throw ServiceException.invalid("Promotions apply to GetRecommendations, not to personalized ranking");
        }
        CampaignView campaign = activeCampaign(r);
        if (!campaign.recipe().ranksCandidates()) {
            throw ServiceException.invalid("Campaign " + campaign.campaignArn() + " does not use a personalized-ranking recipe");
        }
        String userId = text(r, "userId");
        if (userId == null) throw ServiceException.invalid("userId is required");
        JsonNode input = r.path("inputList");
        if (!input.isArray() || input.isEmpty() || input.size() > MAX_INPUT_LIST) {
            throw ServiceException.invalid("inputList must hold 1 to " + MAX_INPUT_LIST + " item ids");
        }
        Set<String> candidates = new LinkedHashSet<>();
        for (JsonNode id : input) {
            if (!id.isTextual() || id.asText().isEmpty()) throw ServiceException.invalid("inputList entries must be non-empty strings");
            candidates.add(id.asText());
        }
        List<String> columns = metadataColumns(r, candidates.size());
        TrainedModel model = control.models().get(campaign.solutionVersionId());
        ItemFilter filter = boundFilter(r, campaign);
        if (filter != null) {
            FilterInputs inputs = inputs(campaign, userId, null);
            candidates.removeIf(id -> !filter.keeps(id, inputs));
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("personalizedRanking");
        if (!candidates.isEmpty()) {
            write(list, model.rank(history(model, campaign, userId), new ArrayList<>(candidates)), campaign, columns, null, false);
        }
        out.put("recommendationId", "RID-" + UUID.randomUUID());
        return out;
    }

    /** PutItems: upserts into the Items dataset's catalog, which filters and metadata read at once. */
    public ObjectNode putItems(ObjectNode r) {
        String datasetArn = text(r, "datasetArn");
        if (datasetArn == null) throw ServiceException.invalid("datasetArn is required");
        JsonNode items = r.path("items");
        if (!items.isArray() || items.isEmpty() || items.size() > MAX_PUT_ITEMS) {
            throw ServiceException.invalid("items must hold 1 to " + MAX_PUT_ITEMS + " items");
        }
        ControlPlane.ItemsDatasetView dataset = control.itemsDataset(datasetArn);
        List<CatalogItem> parsed = new ArrayList<>();
        for (JsonNode item : items) {
            String id = item.path("itemId").asText("");
            if (id.isEmpty() || id.length() > MAX_ID) throw ServiceException.invalid("every item needs an itemId of 1 to 256 characters");
            Map<String, String> columns = new LinkedHashMap<>();
            if (item.hasNonNull("properties")) {
                JsonNode props;
                try {
                    props = json.readTree(item.get("properties").asText());
                } catch (java.io.IOException e) {
                    throw ServiceException.invalid("properties of item " + id + " is not a JSON object");
                }
                if (props == null || !props.isObject()) throw ServiceException.invalid("properties of item " + id + " is not a JSON object");
                props.fields().forEachRemaining(e -> columns.put(column(e.getKey()), e.getValue().isTextual() ? e.getValue().asText()
                        : e.getValue().toString()));
            }
            try {
                parsed.add(CatalogItem.of(id, columns, dataset.fields()));
            } catch (IllegalArgumentException e) {
                throw ServiceException.invalid("Item " + id + ": " + e.getMessage());
            }
        }
        control.catalogs().upsert(dataset.datasetGroupArn(), parsed);
        return json.createObjectNode();
    }

    public ObjectNode putEvents(ObjectNode r) {
        String trackingId = text(r, "trackingId");
        if (trackingId == null) throw ServiceException.invalid("trackingId is required");
        if (text(r, "sessionId") == null) throw ServiceException.invalid("sessionId is required");
        JsonNode events = r.path("eventList");
        if (!events.isArray() || events.isEmpty() || events.size() > MAX_EVENTS) {
            throw ServiceException.invalid("eventList must hold 1 to " + MAX_EVENTS + " events");
        }
        List<LiveHistory.Event> items = new ArrayList<>();
        List<TrackedEvents.Received> received = new ArrayList<>();
        for (JsonNode e : events) {
            if (!e.path("eventType").isTextual() || e.path("eventType").asText().isEmpty()) {
                throw ServiceException.invalid("every event needs an eventType");
            }
            if (!e.path("sentAt").isNumber()) throw ServiceException.invalid("every event needs sentAt (epoch seconds)");
            String item = e.path("itemId").asText("");
            if (item.length() > MAX_ID) throw ServiceException.invalid("itemId is longer than 256 characters");
            if (!item.isEmpty()) items.add(new LiveHistory.Event(item, e.get("eventType").asText()));
            String recommendationId = e.hasNonNull("recommendationId") ? e.get("recommendationId").asText() : null;
            if (recommendationId != null && (recommendationId.isEmpty() || recommendationId.length() > MAX_ID)) {
                throw ServiceException.invalid("recommendationId must be 1 to 256 characters");
            }
            List<String> impression = new ArrayList<>();
            if (e.has("impression")) {
                JsonNode list = e.get("impression");
                if (!list.isArray() || list.isEmpty() || list.size() > InteractionsDataset.MAX_IMPRESSION_ITEMS) {
                    throw ServiceException.invalid("impression must hold 1 to " + InteractionsDataset.MAX_IMPRESSION_ITEMS + " item ids");
                }
                for (JsonNode id : list) {
                    if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_ID) {
                        throw ServiceException.invalid("impression entries must be item ids of 1 to 256 characters");
                    }
                    impression.add(id.asText());
                }
            }
            received.add(new TrackedEvents.Received(item.isEmpty() ? null : item, e.get("eventType").asText(), recommendationId,
                    impression));
        }
        String group = control.datasetGroupOfTrackingId(trackingId);
        if (group == null) throw ServiceException.notFound("No event tracker has the tracking id " + trackingId);
        String userId = text(r, "userId");
        // Anonymous sessions carry no user to personalise for yet.
        if (userId != null && !items.isEmpty()) live.record(group, userId, items);
        if (userId != null) received.forEach(e -> tracked.add(trackingId, userId, e));
        return json.createObjectNode();
    }

    private CampaignView activeCampaign(ObjectNode r) {
        String arn = text(r, "campaignArn");
        if (arn == null) {
            if (text(r, "recommenderArn") != null) throw ServiceException.invalid("Recommenders are not supported by the local engine");
            throw ServiceException.invalid("campaignArn is required");
        }
        CampaignView c = control.campaign(arn);
        if (c == null) throw ServiceException.notFound("Campaign " + arn + " does not exist.");
        if (!"ACTIVE".equals(c.status()) || c.recipe() == null) {
            throw new ServiceException(ErrorCode.ResourceNotFoundException, "Campaign " + arn + " is " + c.status() + ", not ACTIVE");
        }
        return c;
    }

    /** Training history plus real-time items the model knows, without repeats. */
    private int[] history(TrainedModel model, CampaignView campaign, String userId) {
        int[] trained = model.trainingHistory(userId);
        List<String> recent = live.items(campaign.datasetGroupArn(), userId);
        if (recent.isEmpty()) return trained;
        Set<Integer> all = new LinkedHashSet<>();
        for (int i : trained) all.add(i);
        for (int i : model.itemIndices(recent)) all.add(i);
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A request's promotion, bound: its name, its share of the slots and the items its filter keeps. */
    private record Promotion(String name, int percent, Predicate<String> keep) {
        /** Personalize's percentage of the answer, at least one slot. */
        int slots(int n) {
            return Math.max(1, n * percent / 100);
        }
    }

    private Promotion promotion(ObjectNode r, CampaignView campaign, String userId, String itemId) {
        JsonNode promotions = r.path("promotions");
        if (promotions.isMissingNode() || promotions.isNull() || (promotions.isArray() && promotions.isEmpty())) return null;
        if (!promotions.isArray() || promotions.size() > 1) throw ServiceException.invalid("promotions must hold at most one promotion");
        JsonNode p = promotions.get(0);
        String name = p.path("name").asText("");
        if (!PROMOTION_NAME.matcher(name).matches()) {
            throw ServiceException.invalid("promotion name must be 1-63 characters of [a-zA-Z0-9_-], starting with a letter or digit");
        }
        if (!p.path("percentPromotedItems").isInt() || p.get("percentPromotedItems").asInt() < 1 || p.get("percentPromotedItems").asInt() > 100) {
            throw ServiceException.invalid("promotion " + name + ": percentPromotedItems must be an integer in [1, 100]");
        }
        String arn = p.path("filterArn").asText("");
        if (arn.isEmpty()) throw ServiceException.invalid("promotion " + name + " needs a filterArn");
        ItemFilter filter = bind(arn, p.path("filterValues"), campaign);
        FilterInputs inputs = inputs(campaign, userId, itemId);
        return new Promotion(name, p.get("percentPromotedItems").asInt(), id -> filter.keeps(id, inputs));
    }

    private static List<ModelScore> best(TrainedModel model, CampaignView campaign, int seed, int[] history, int n, Predicate<String> keep) {
        if (n <= 0) return List.of();
        return campaign.recipe().needsItemId() ? model.related(seed, history, n, keep) : model.recommend(history, n, keep);
    }

    /** Items a User-Personalization campaign explores: at most this many interactions in training count as new. */
    static final int NEW_ITEM_MAX_INTERACTIONS = 5;

    /**
     * The campaign's exploration share of {@code slots}: catalog items created within the cut-off that the model saw
     * at most {@value #NEW_ITEM_MAX_INTERACTIONS} times (or never), not in the history and kept by the request's
     * filter, drawn at random.
     */
    private List<ModelScore> explore(CampaignView campaign, TrainedModel model, int[] history, int slots, Predicate<String> keep,
                                     Set<String> taken) {
        int want = campaign.recipe() == Recipe.USER_PERSONALIZATION ? campaign.exploration().slots(slots) : 0;
        if (want <= 0) return List.of();
        long youngest = System.currentTimeMillis() / 1000 - (long) (campaign.exploration().cutOffDays() * 86_400);
        Set<String> seen = new java.util.HashSet<>();
        for (int i : history) seen.add(model.data().itemId(i));
        List<String> candidates = new ArrayList<>();
        for (CatalogItem item : control.catalogs().items(campaign.datasetGroupArn())) {
            Double created = item.filter().numeric().get(ItemsDataset.CREATION_TIMESTAMP);
            if (created == null || created < youngest || seen.contains(item.itemId()) || taken.contains(item.itemId())) continue;
            int index = model.data().itemIndex(item.itemId());
            if (index >= 0 && model.data().eventCount(index) > NEW_ITEM_MAX_INTERACTIONS) continue;
            if (keep == null || keep.test(item.itemId())) candidates.add(item.itemId());
        }
        java.util.Collections.shuffle(candidates, java.util.concurrent.ThreadLocalRandom.current());
        return candidates.stream().limit(want).map(id -> new ModelScore(id, 0)).toList();
    }

    /** Promoted and explored items at random positions among the others, each kind in its own order, as Personalize places them. */
    private void mixIn(ArrayNode list, List<ModelScore> regular, List<ModelScore> promoted, String promotion, List<ModelScore> explored,
                       CampaignView campaign, List<String> columns) {
        int total = regular.size() + promoted.size() + explored.size();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < total; i++) slots.add(i);
        java.util.Collections.shuffle(slots, java.util.concurrent.ThreadLocalRandom.current());
        Set<Integer> promotedSlots = new java.util.HashSet<>(slots.subList(0, promoted.size()));
        Set<Integer> exploredSlots = new java.util.HashSet<>(slots.subList(promoted.size(), promoted.size() + explored.size()));
        int p = 0, e = 0, q = 0;
        for (int i = 0; i < total; i++) {
            if (promotedSlots.contains(i)) {
                write(list, List.of(promoted.get(p++)), campaign, columns, promotion, false);
            } else if (exploredSlots.contains(i)) {
                write(list, List.of(explored.get(e++)), campaign, columns, null, true);
            } else {
                write(list, List.of(regular.get(q++)), campaign, columns, null, false);
            }
        }
    }

    /** The filter the request names, bound to its values, as a test on item ids; null without one. */
    private Predicate<String> filter(ObjectNode r, CampaignView campaign, String userId, String itemId) {
        ItemFilter filter = boundFilter(r, campaign);
        if (filter == null) return null;
        FilterInputs inputs = inputs(campaign, userId, itemId);
        return id -> filter.keeps(id, inputs);
    }

    private ItemFilter boundFilter(ObjectNode r, CampaignView campaign) {
        String arn = text(r, "filterArn");
        if (arn == null) {
            if (r.path("filterValues").isObject() && !r.path("filterValues").isEmpty()) {
                throw ServiceException.invalid("filterValues need a filterArn");
            }
            return null;
        }
        return bind(arn, r.path("filterValues"), campaign);
    }

    /** The ACTIVE filter of the campaign's dataset group, bound to Personalize-form values. */
    private ItemFilter bind(String arn, JsonNode values, CampaignView campaign) {
        ControlPlane.FilterView f = control.filter(arn);
        if (f == null) throw ServiceException.notFound("Filter " + arn + " does not exist.");
        if (!"ACTIVE".equals(f.status())) throw ServiceException.invalid("Filter " + arn + " is " + f.status() + ", not ACTIVE");
        if (!f.datasetGroupArn().equals(campaign.datasetGroupArn())) {
            throw ServiceException.invalid("Filter " + arn + " belongs to another dataset group than campaign " + campaign.campaignArn());
        }
        FilterExpression expression = parsedFilters.computeIfAbsent(arn + "\n" + f.expression(), k -> FilterExpression.parse(f.expression()));
        Map<String, String> raw = new LinkedHashMap<>();
        if (!values.isMissingNode() && !values.isNull()) {
            if (!values.isObject()) throw ServiceException.invalid("filterValues must be an object of strings");
            for (var it = values.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isTextual()) throw ServiceException.invalid("filterValues." + e.getKey() + " must be a string");
                raw.put(e.getKey(), e.getValue().asText());
            }
        }
        try {
            return expression.bind(FilterValues.parse(raw));
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid("Invalid filterValues for filter " + arn + ": " + e.getMessage());
        }
    }

    /** The catalog, the related-items seed and the user's event types (imported and real-time), as filters read them. */
    private FilterInputs inputs(CampaignView campaign, String userId, String currentItemId) {
        String group = campaign.datasetGroupArn();
        ItemCatalogs catalogs = control.catalogs();
        FilterItem current = currentItemId == null ? null : catalogs.filterView(group, currentItemId);
        return new FilterInputs() {
            private Map<String, Set<String>> imported;

            @Override
            public FilterItem item(String itemId) {
                return catalogs.filterView(group, itemId);
            }

            @Override
            public FilterItem currentItem() {
                return current;
            }

            @Override
            public Set<String> eventTypes(String itemId) {
                if (userId == null) return Set.of();
                if (imported == null) imported = historicalTypes.of(group, userId);
                Set<String> past = imported.getOrDefault(itemId, Set.of());
                Set<String> recent = live.eventTypes(group, userId, itemId);
                if (recent.isEmpty()) return past;
                Set<String> all = new java.util.HashSet<>(past);
                all.addAll(recent);
                return all;
            }
        };
    }

    /** {@code metadataColumns: {"ITEMS": [...]}}: the catalog columns each answer carries. */
    private static List<String> metadataColumns(ObjectNode r, int results) {
        JsonNode m = r.path("metadataColumns");
        if (m.isMissingNode() || m.isNull() || (m.isObject() && m.isEmpty())) return List.of();
        if (!m.isObject()) throw ServiceException.invalid("metadataColumns must be an object");
        List<String> columns = new ArrayList<>();
        for (var it = m.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().equals("ITEMS")) throw ServiceException.invalid("metadataColumns supports the ITEMS dataset only, not " + e.getKey());
            if (!e.getValue().isArray() || e.getValue().isEmpty() || e.getValue().size() > MAX_METADATA_COLUMNS) {
                throw ServiceException.invalid("metadataColumns.ITEMS must list 1 to " + MAX_METADATA_COLUMNS + " columns");
            }
            for (JsonNode c : e.getValue()) {
                if (!c.isTextual() || c.asText().isEmpty() || c.asText().length() > 150) {
                    throw ServiceException.invalid("metadataColumns.ITEMS entries must be column names of 1 to 150 characters");
                }
                columns.add(c.asText());
            }
        }
        if (results > MAX_RESULTS_WITH_METADATA) {
            throw ServiceException.invalid("With metadataColumns at most " + MAX_RESULTS_WITH_METADATA + " results can be asked for");
        }
        return columns;
    }

    private void write(ArrayNode list, List<ModelScore> items, CampaignView campaign, List<String> columns, String promotion,
                       boolean exploration) {
        for (ModelScore s : items) {
            ObjectNode o = list.addObject().put("itemId", s.itemId()).put("score", round(s.score()));
            if (promotion != null) o.put("promotionName", promotion);
            // User-Personalization-v2's reason for an item placed to explore
            if (exploration) o.putArray("reason").add(EXPLORATION_REASON);
            if (columns.isEmpty()) continue;
            CatalogItem item = control.catalogs().get(campaign.datasetGroupArn(), s.itemId());
            ObjectNode metadata = o.putObject("metadata");
            for (String c : columns) {
                String v = item == null ? null : item.columns().get(c.toUpperCase(Locale.ROOT));
                if (v != null) metadata.put(c, v);
            }
        }
    }

    /** PutItems properties are camelCase ({@code creationTimestamp}); schema columns are upper snake case. */
    static String column(String property) {
        return property.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static String text(ObjectNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }

    private static double round(double score) {
        return Math.round(score * 1e6) / 1e6;
    }
}
