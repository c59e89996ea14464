package dev.recsys.personalize.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.filter.FilterExpression;
import dev.recsys.common.filter.FilterInputs;
import dev.recsys.common.filter.FilterItem;
import dev.recsys.common.filter.FilterValues;
import dev.recsys.common.filter.ItemFilter;
import dev.recsys.personalize.engine.catalog.ItemCatalogs;
import dev.recsys.personalize.engine.control.ControlPlane;
import dev.recsys.personalize.engine.control.ControlPlane.CampaignView;
import dev.recsys.personalize.engine.control.ServiceException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A request's filters, bound: the filter ARN and Personalize-form values checked (typed errors), the expression parsed
 * once per filter, and what it reads: the group's catalog, the related-items seed and the user's event types, imported
 * and real-time.
 */
final class RequestFilters {

    private final ControlPlane control;
    private final LiveHistory live;
    private final HistoricalEventTypes historicalTypes;
    private final Map<String, FilterExpression> parsedFilters = new ConcurrentHashMap<>();

    RequestFilters(ControlPlane control, LiveHistory live) {
        this.control = control;
        this.live = live;
        this.historicalTypes = new HistoricalEventTypes(control);
    }

    /** The filter the request names, bound to its values, as a test on item ids; null without one. */
    Predicate<String> keep(ObjectNode r, CampaignView campaign, String userId, String itemId) {
        ItemFilter filter = requestFilter(r, campaign);
        if (filter == null) return null;
        FilterInputs inputs = inputs(campaign, userId, itemId);
        return id -> filter.keeps(id, inputs);
    }

    ItemFilter requestFilter(ObjectNode r, CampaignView campaign) {
        String arn = r.path("filterArn").isTextual() && !r.get("filterArn").asText().isEmpty() ? r.get("filterArn").asText() : null;
        if (arn == null) {
            if (r.path("filterValues").isObject() && !r.path("filterValues").isEmpty()) {
                throw ServiceException.invalid("filterValues need a filterArn");
            }
            return null;
        }
        return bind(arn, r.path("filterValues"), campaign);
    }

    /** The ACTIVE filter of the campaign's dataset group, bound to Personalize-form values. */
    ItemFilter bind(String arn, JsonNode values, CampaignView campaign) {
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

    /** The catalog, the related-items seed, the user's Users record and event types (imported and real-time), as filters read them. */
    FilterInputs inputs(CampaignView campaign, String userId, String currentItemId) {
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

            /** Read once per request: every candidate's IF CurrentUser asks for the same user. */
            private FilterItem user;

            @Override
            public FilterItem currentUser() {
                if (user == null) user = userId == null ? FilterItem.EMPTY : control.users().filterView(group, userId);
                return user;
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
}
