package dev.recsys.api.core;

import dev.recsys.common.experiment.ArmResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /experiments}: the stored results grouped by experiment and route, each route with its
 * control and its arms (totals, CTR and conversion rate with 95% intervals, and against the control the
 * always-valid p-value, interval and verdict).
 */
public final class ExperimentReport {

    private final ExperimentResults results;

    /** @param results null when no results table is configured */
    public ExperimentReport(ExperimentResults results) {
        this.results = results;
    }

    /** @param experiment one experiment, or null for all */
    public Map<String, Object> report(String experiment) {
        if (results == null) {
            throw new RequestRejected(RequestRejected.Kind.NOT_FOUND, "not_found",
                    "experiment results are not configured for this API (RECSYS_EXPERIMENTS_TABLE)");
        }
        List<ArmResult> arms = experiment == null ? results.all() : results.of(experiment);
        if (experiment != null && arms.isEmpty()) {
            throw new RequestRejected(RequestRejected.Kind.NOT_FOUND, "unknown_experiment", "no results for experiment " + experiment + " (yet)");
        }
        Map<String, Map<String, List<ArmResult>>> grouped = new TreeMap<>();
        for (ArmResult a : arms) {
            grouped.computeIfAbsent(a.experiment(), e -> new TreeMap<>()).computeIfAbsent(a.route(), r -> new ArrayList<>()).add(a);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        grouped.forEach((name, routes) -> {
            List<Map<String, Object>> routeList = new ArrayList<>();
            long computed = 0;
            for (Map.Entry<String, List<ArmResult>> r : routes.entrySet()) {
                Map<String, Object> route = new LinkedHashMap<>();
                route.put("route", r.getKey());
                route.put("control", r.getValue().stream().filter(ArmResult::control).map(ArmResult::variant).findFirst().orElse(null));
                route.put("arms", r.getValue().stream().sorted(java.util.Comparator.comparing(ArmResult::variant)).toList());
                routeList.add(route);
                computed = Math.max(computed, r.getValue().stream().mapToLong(ArmResult::computedAt).max().orElse(0));
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("experiment", name);
            e.put("computed_at", Instant.ofEpochMilli(computed).toString());
            e.put("routes", routeList);
            out.add(e);
        });
        return Map.of("experiments", out);
    }
}
