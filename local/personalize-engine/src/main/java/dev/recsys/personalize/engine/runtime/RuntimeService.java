package dev.recsys.personalize.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.filter.FilterInputs;
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
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Personalize runtime and events: GetRecommendations and GetPersonalizedRanking (with filters and item
 * metadata), PutEvents, PutItems and PutUsers. A user's history is their training history plus what PutEvents
 * reported since; filters read the dataset group's catalog and the user's event types.
 */
public final class RuntimeService {

    static final int MAX_RESULTS = 500, DEFAULT_RESULTS = 25, MAX_INPUT_LIST = 500, MAX_EVENTS = 10, MAX_ID = 256;

    static final int MAX_PUT_ITEMS = 10;

    private final ControlPlane control;
    private final LiveHistory live;
    private final TrackedEvents tracked;
    private final ObjectMapper json;
    private final RequestFilters filters;
    private final BusinessRules rules;
    private final AnswerWriter writer;

    public RuntimeService(ControlPlane control, LiveHistory live, TrackedEvents tracked, ObjectMapper json) {
        this.control = control;
        this.live = live;
        this.tracked = tracked;
        this.json = json;
        this.filters = new RequestFilters(control, live);
        this.rules = new BusinessRules(control, filters);
        this.writer = new AnswerWriter(control);
    }

    public ObjectNode getRecommendations(ObjectNode r) {
        CampaignView campaign = activeCampaign(r);
        if (campaign.recipe().ranksCandidates()) {
            throw ServiceException.invalid("Campaign " + campaign.campaignArn() + " uses a personalized-ranking recipe; call GetPersonalizedRanking");
        }
        int n = r.path("numResults").asInt(DEFAULT_RESULTS);
        if (n < 1 || n > MAX_RESULTS) throw ServiceException.invalid("numResults must be in [1, " + MAX_RESULTS + "]");
        List<String> columns = AnswerWriter.metadataColumns(r, n);
        String userId = text(r, "userId");
        String itemId = text(r, "itemId");
        TrainedModel model = control.models().get(campaign.solutionVersionId());
        if (campaign.recipe().needsItemId() && itemId == null) throw ServiceException.invalid("itemId is required for a related-items campaign");
        if (campaign.recipe().needsUserId() && userId == null) {
            throw ServiceException.invalid("userId is required for campaign " + campaign.campaignArn());
        }
        Predicate<String> keep = filters.keep(r, campaign, userId, itemId);
        BusinessRules.Promotion promotion = rules.promotion(r, campaign, userId, itemId);
        int[] history = userId == null ? new int[0] : history(model, campaign, userId);
        int seed = campaign.recipe().needsItemId() ? model.data().itemIndex(itemId) : -1;
        // A promotion's filter picks its share of the slots; the request's filter applies to the rest only.
        List<ModelScore> promoted = promotion == null ? List.of() : best(model, campaign, seed, history, promotion.slots(n), promotion.keep());
        Set<String> taken = new java.util.HashSet<>();
        promoted.forEach(p -> taken.add(p.itemId()));
        List<ModelScore> explored = rules.explore(campaign, model, history, n - promoted.size(), keep, taken);
        explored.forEach(p -> taken.add(p.itemId()));
        Predicate<String> rest = taken.isEmpty() ? keep : id -> !taken.contains(id) && (keep == null || keep.test(id));
        List<ModelScore> items = best(model, campaign, seed, history, n - promoted.size() - explored.size(), rest);
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("itemList");
        if (promoted.isEmpty() && explored.isEmpty()) {
            writer.write(list, items, campaign, columns, null, false);
        } else {
            writer.mixIn(list, items, promoted, promotion == null ? null : promotion.name(), explored, campaign, columns);
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
        List<String> columns = AnswerWriter.metadataColumns(r, candidates.size());
        TrainedModel model = control.models().get(campaign.solutionVersionId());
        ItemFilter filter = filters.requestFilter(r, campaign);
        if (filter != null) {
            FilterInputs inputs = filters.inputs(campaign, userId, null);
            candidates.removeIf(id -> !filter.keeps(id, inputs));
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("personalizedRanking");
        if (!candidates.isEmpty()) {
            writer.write(list, model.rank(history(model, campaign, userId), new ArrayList<>(candidates)), campaign, columns, null, false);
        }
        out.put("recommendationId", "RID-" + UUID.randomUUID());
        return out;
    }

    /** PutItems: upserts into the Items dataset's catalog, which filters and metadata read at once. */
    public ObjectNode putItems(ObjectNode r) {
        return putRecords(r, "Items", "items", "itemId", control.catalogs());
    }

    /** PutUsers: upserts into the Users dataset's records, which {@code IF CurrentUser} conditions read at once. */
    public ObjectNode putUsers(ObjectNode r) {
        return putRecords(r, "Users", "users", "userId", control.users());
    }

    private ObjectNode putRecords(ObjectNode r, String type, String listField, String idField, ItemCatalogs target) {
        String datasetArn = text(r, "datasetArn");
        if (datasetArn == null) throw ServiceException.invalid("datasetArn is required");
        JsonNode records = r.path(listField);
        if (!records.isArray() || records.isEmpty() || records.size() > MAX_PUT_ITEMS) {
            throw ServiceException.invalid(listField + " must hold 1 to " + MAX_PUT_ITEMS + " " + listField);
        }
        ControlPlane.MetadataDatasetView dataset = control.metadataDataset(datasetArn, type);
        List<CatalogItem> parsed = new ArrayList<>();
        for (JsonNode record : records) {
            String id = record.path(idField).asText("");
            if (id.isEmpty() || id.length() > MAX_ID) throw ServiceException.invalid("every entry needs an " + idField + " of 1 to 256 characters");
            Map<String, String> columns = new LinkedHashMap<>();
            if (record.hasNonNull("properties")) {
                JsonNode props;
                try {
                    props = json.readTree(record.get("properties").asText());
                } catch (java.io.IOException e) {
                    throw ServiceException.invalid("properties of " + id + " is not a JSON object");
                }
                if (props == null || !props.isObject()) throw ServiceException.invalid("properties of " + id + " is not a JSON object");
                props.fields().forEachRemaining(e -> columns.put(ItemsDataset.column(e.getKey()), e.getValue().isTextual() ? e.getValue().asText()
                        : e.getValue().toString()));
            }
            try {
                parsed.add(CatalogItem.of(id, columns, dataset.fields()));
            } catch (IllegalArgumentException e) {
                throw ServiceException.invalid(type.substring(0, type.length() - 1) + " " + id + ": " + e.getMessage());
            }
        }
        target.upsert(dataset.datasetGroupArn(), parsed);
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

    private static List<ModelScore> best(TrainedModel model, CampaignView campaign, int seed, int[] history, int n, Predicate<String> keep) {
        if (n <= 0) return List.of();
        return campaign.recipe().needsItemId() ? model.related(seed, history, n, keep) : model.recommend(history, n, keep);
    }

    private static String text(ObjectNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }
}
