package dev.recsys.personalize.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.filter.FilterInputs;
import dev.recsys.common.filter.ItemFilter;
import dev.recsys.common.keys.ItemsDataset;
import dev.recsys.personalize.engine.catalog.CatalogItem;
import dev.recsys.personalize.engine.control.ControlPlane;
import dev.recsys.personalize.engine.control.ControlPlane.CampaignView;
import dev.recsys.personalize.engine.control.ServiceException;
import dev.recsys.personalize.engine.recipes.ModelScore;
import dev.recsys.personalize.engine.recipes.Recipe;
import dev.recsys.personalize.engine.recipes.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The slots of an answer that are not the model's own pick: a request's promotion and a campaign's new-item exploration. */
final class BusinessRules {

    private static final Pattern PROMOTION_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}");

    private final ControlPlane control;
    private final RequestFilters filters;

    BusinessRules(ControlPlane control, RequestFilters filters) {
        this.control = control;
        this.filters = filters;
    }

    /** A request's promotion, bound: its name, its share of the slots and the items its filter keeps. */
    record Promotion(String name, int percent, Predicate<String> keep) {
        /** Personalize's percentage of the answer, at least one slot. */
        int slots(int n) {
            return Math.max(1, n * percent / 100);
        }
    }

    Promotion promotion(ObjectNode r, CampaignView campaign, String userId, String itemId) {
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
        ItemFilter filter = filters.bind(arn, p.path("filterValues"), campaign);
        FilterInputs inputs = filters.inputs(campaign, userId, itemId);
        return new Promotion(name, p.get("percentPromotedItems").asInt(), id -> filter.keeps(id, inputs));
    }

    /** Items a User-Personalization campaign explores: at most this many interactions in training count as new. */
    static final int NEW_ITEM_MAX_INTERACTIONS = 5;

    /**
     * The campaign's exploration share of {@code slots}: catalog items created within the cut-off that the model saw
     * at most {@value #NEW_ITEM_MAX_INTERACTIONS} times (or never), not in the history and kept by the request's
     * filter, drawn at random.
     */
    List<ModelScore> explore(CampaignView campaign, TrainedModel model, int[] history, int slots, Predicate<String> keep,
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
}
