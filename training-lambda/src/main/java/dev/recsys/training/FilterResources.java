package dev.recsys.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.Filter;
import software.amazon.awssdk.services.personalize.model.FilterSummary;
import software.amazon.awssdk.services.personalize.model.ListFiltersResponse;

/**
 * Makes the dataset group's filters match the {@link FilterPlan}: each configured filter exists as
 * {@code <prefix>-<name>} with exactly its expression. Personalize filters cannot be updated, so a filter whose
 * expression changed is deleted and created again under the same name (and so the same ARN the API calls). Filters
 * the plan does not name are left alone: the pipeline never deletes what it was not told about.
 */
final class FilterResources {

    private final PersonalizeClient personalize;
    private final TrainingConfig config;

    FilterResources(PersonalizeClient personalize, TrainingConfig config) {
        this.personalize = personalize;
        this.config = config;
    }

    /** @return configured name → filter ARN, for those that exist; what is not ACTIVE yet is added to {@code pending} */
    Map<String, String> ensure(String groupArn, List<String> pending) {
        // Nothing configured: nothing to make, and the group's other filters are not ours to touch (no ListFilters call).
        if (config.filters().expressions().isEmpty()) return Map.of();
        Map<String, FilterSummary> existing = list(groupArn);
        Map<String, String> arns = new LinkedHashMap<>();
        config.filters().expressions().forEach((name, expression) -> {
            String resourceName = config.filterName(name);
            FilterSummary found = existing.get(resourceName);
            if (found == null) {
                arns.put(name, personalize.createFilter(b -> b.name(resourceName).datasetGroupArn(groupArn)
                        .filterExpression(expression)).filterArn());
                pending.add("filter " + resourceName + " is CREATE PENDING");
                return;
            }
            arns.put(name, found.filterArn());
            if (found.status() != null && found.status().startsWith("DELETE")) {
                pending.add("filter " + resourceName + " is " + found.status() + " (replaced: its expression changed)");
                return;
            }
            Filter filter = personalize.describeFilter(b -> b.filterArn(found.filterArn())).filter();
            if (!expression.equals(filter.filterExpression())) {
                if (Statuses.isInProgress(filter.status())) {
                    pending.add("filter " + resourceName + " is " + filter.status() + ", to be replaced: its expression changed");
                } else {
                    personalize.deleteFilter(b -> b.filterArn(found.filterArn()));
                    pending.add("filter " + resourceName + " is being replaced: its expression changed");
                }
                return;
            }
            if (!Statuses.isActive(Statuses.require("filter " + resourceName, filter.status(), filter.failureReason()))) {
                pending.add("filter " + resourceName + " is " + filter.status());
            }
        });
        return arns;
    }

    private Map<String, FilterSummary> list(String groupArn) {
        Map<String, FilterSummary> out = new LinkedHashMap<>();
        String token = null;
        do {
            String t = token;
            ListFiltersResponse page = personalize.listFilters(b -> b.datasetGroupArn(groupArn).nextToken(t).maxResults(100));
            for (FilterSummary f : page.filters()) out.put(f.name(), f);
            token = page.nextToken();
        } while (token != null);
        return out;
    }
}
