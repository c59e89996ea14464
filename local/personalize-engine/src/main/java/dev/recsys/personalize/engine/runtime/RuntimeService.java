package dev.recsys.personalize.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.personalize.engine.control.ControlPlane;
import dev.recsys.personalize.engine.control.ControlPlane.CampaignView;
import dev.recsys.personalize.engine.control.ErrorCode;
import dev.recsys.personalize.engine.control.ServiceException;
import dev.recsys.personalize.engine.recipes.ModelScore;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Personalize runtime and events: GetRecommendations, GetPersonalizedRanking and PutEvents.
 * A user's history is their training history plus what PutEvents reported since.
 */
public final class RuntimeService {

    static final int MAX_RESULTS = 500, DEFAULT_RESULTS = 25, MAX_INPUT_LIST = 500, MAX_EVENTS = 10, MAX_ID = 256;

    private final ControlPlane control;
    private final LiveHistory live;
    private final TrackedEvents tracked;
    private final ObjectMapper json;

    public RuntimeService(ControlPlane control, LiveHistory live, TrackedEvents tracked, ObjectMapper json) {
        this.control = control;
        this.live = live;
        this.tracked = tracked;
        this.json = json;
    }

    public ObjectNode getRecommendations(ObjectNode r) {
        unsupported(r);
        CampaignView campaign = activeCampaign(r);
        if (campaign.recipe().ranksCandidates()) {
            throw ServiceException.invalid("Campaign " + campaign.campaignArn() + " uses a personalized-ranking recipe; call GetPersonalizedRanking");
        }
        int n = r.path("numResults").asInt(DEFAULT_RESULTS);
        if (n < 1 || n > MAX_RESULTS) throw ServiceException.invalid("numResults must be in [1, " + MAX_RESULTS + "]");
        String userId = text(r, "userId");
        String itemId = text(r, "itemId");
        TrainedModel model = control.models().get(campaign.solutionVersionId());
        List<ModelScore> items;
        if (campaign.recipe().needsItemId()) {
            if (itemId == null) throw ServiceException.invalid("itemId is required for a related-items campaign");
            int[] exclude = userId == null ? new int[0] : history(model, campaign, userId);
            items = model.related(model.data().itemIndex(itemId), exclude, n);
        } else {
            if (userId == null) throw ServiceException.invalid("userId is required for campaign " + campaign.campaignArn());
            items = model.recommend(history(model, campaign, userId), n);
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("itemList");
        for (ModelScore s : items) list.addObject().put("itemId", s.itemId()).put("score", round(s.score()));
        out.put("recommendationId", "RID-" + UUID.randomUUID());
        return out;
    }

    public ObjectNode getPersonalizedRanking(ObjectNode r) {
        unsupported(r);
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
        TrainedModel model = control.models().get(campaign.solutionVersionId());
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("personalizedRanking");
        for (ModelScore s : model.rank(history(model, campaign, userId), new ArrayList<>(candidates))) {
            list.addObject().put("itemId", s.itemId()).put("score", round(s.score()));
        }
        out.put("recommendationId", "RID-" + UUID.randomUUID());
        return out;
    }

    public ObjectNode putEvents(ObjectNode r) {
        String trackingId = text(r, "trackingId");
        if (trackingId == null) throw ServiceException.invalid("trackingId is required");
        if (text(r, "sessionId") == null) throw ServiceException.invalid("sessionId is required");
        JsonNode events = r.path("eventList");
        if (!events.isArray() || events.isEmpty() || events.size() > MAX_EVENTS) {
            throw ServiceException.invalid("eventList must hold 1 to " + MAX_EVENTS + " events");
        }
        List<String> items = new ArrayList<>();
        List<TrackedEvents.Received> received = new ArrayList<>();
        for (JsonNode e : events) {
            if (!e.path("eventType").isTextual() || e.path("eventType").asText().isEmpty()) {
                throw ServiceException.invalid("every event needs an eventType");
            }
            if (!e.path("sentAt").isNumber()) throw ServiceException.invalid("every event needs sentAt (epoch seconds)");
            String item = e.path("itemId").asText("");
            if (item.length() > MAX_ID) throw ServiceException.invalid("itemId is longer than 256 characters");
            if (!item.isEmpty()) items.add(item);
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

    private static void unsupported(ObjectNode r) {
        if (text(r, "filterArn") != null) throw ServiceException.invalid("Filters are not supported by the local engine");
        if (r.path("promotions").isArray() && !r.path("promotions").isEmpty()) {
            throw ServiceException.invalid("Promotions are not supported by the local engine");
        }
    }

    private static String text(ObjectNode r, String field) {
        JsonNode v = r.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }

    private static double round(double score) {
        return Math.round(score * 1e6) / 1e6;
    }
}
