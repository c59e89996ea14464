package dev.recsys.personalize.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.personalize.engine.catalog.CatalogItem;
import dev.recsys.personalize.engine.control.ControlPlane;
import dev.recsys.personalize.engine.control.ControlPlane.CampaignView;
import dev.recsys.personalize.engine.control.ServiceException;
import dev.recsys.personalize.engine.recipes.ModelScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The item list of an answer: scores, the requested catalog columns, and which slots a promotion or exploration filled. */
final class AnswerWriter {

    /** Personalize's bounds with item metadata: at most 10 columns, and then at most 50 results. */
    static final int MAX_METADATA_COLUMNS = 10, MAX_RESULTS_WITH_METADATA = 50;
    /** User-Personalization-v2's reason for an item placed to explore. */
    static final String EXPLORATION_REASON = "Exploration";

    private final ControlPlane control;

    AnswerWriter(ControlPlane control) {
        this.control = control;
    }

    /** {@code metadataColumns: {"ITEMS": [...]}}: the catalog columns each answer carries. */
    static List<String> metadataColumns(ObjectNode r, int results) {
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

    void write(ArrayNode list, List<ModelScore> items, CampaignView campaign, List<String> columns, String promotion,
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

    /** Promoted and explored items at random positions among the others, each kind in its own order, as Personalize places them. */
    void mixIn(ArrayNode list, List<ModelScore> regular, List<ModelScore> promoted, String promotion, List<ModelScore> explored,
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

    private static double round(double score) {
        return Math.round(score * 1e6) / 1e6;
    }
}
