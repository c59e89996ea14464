package dev.recsys.training;

import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.EventLimits;
import dev.recsys.common.event.Exposure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the decision step needs to know about the A/B experiment the API serves.
 *
 * @param table        the {@code experiments} results table the consumer fleet writes
 * @param experimentId the deployed experiment: the salt of every split and the first phase of its results
 * @param policy       {@code report} tells who wins; {@code promote} also shifts users toward the winner
 * @param route        the API route whose arms are decided on
 * @param promoteStep  percentage points moved to the winner per run
 * @param weights      the split the API was deployed with, by variant (used until the pipeline publishes one)
 */
public record ExperimentConfig(String table, String experimentId, ExperimentDecision.Policy policy, String route,
                               int promoteStep, Map<String, Integer> weights) {

    /** The contract's experiment.default_route (the user recommendations), as Terraform's default too. */
    public static final String DEFAULT_ROUTE = Contract.get().api().route(Contract.get().experiment().defaultRoute()).template();
    public static final int DEFAULT_PROMOTE_STEP = 25;

    // The variables read, named by the contract's environment.training_lambda (see TrainingConfig).
    private static final Contract.Variables ENV = Contract.get().environment().trainingLambda();
    private static final String EXPERIMENTS_TABLE = ENV.name("experiments_table");
    private static final String EXPERIMENT_ID = ENV.name("experiment_id");
    private static final String EXPERIMENT_POLICY = ENV.name("experiment_policy");
    private static final String EXPERIMENT_ROUTE = ENV.name("experiment_route");
    private static final String EXPERIMENT_PROMOTE_STEP = ENV.name("experiment_promote_step");
    private static final String VARIANT_WEIGHTS = ENV.name("variant_weights");

    public ExperimentConfig {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(policy, "policy");
        if (!EventLimits.isValidId(experimentId)) {
            throw new IllegalArgumentException(EXPERIMENT_ID + " must be a valid id (" + EventLimits.ID + "), got '" + experimentId + "'");
        }
        if (!Exposure.ROUTES.contains(route)) {
            throw new IllegalArgumentException(EXPERIMENT_ROUTE + " must be one of " + Exposure.ROUTES + ", got '" + route + "'");
        }
        if (promoteStep < 1 || promoteStep > 100) {
            throw new IllegalArgumentException(EXPERIMENT_PROMOTE_STEP + " must be in 1..100, got " + promoteStep);
        }
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        if (weights.values().stream().mapToInt(Integer::intValue).sum() != 100) {
            throw new IllegalArgumentException(VARIANT_WEIGHTS + " must sum to 100, got " + weights);
        }
    }

    /** The split the API serves while nothing is published: the experiment id is both salt and phase. */
    public ExperimentDecision.Split deployedSplit() {
        return new ExperimentDecision.Split(experimentId, experimentId, weights, null, null);
    }

    /**
     * Environment: {@code EXPERIMENTS_TABLE} (absent or empty: no experiment, null), {@code EXPERIMENT_ID},
     * {@code VARIANT_WEIGHTS} ({@code a=50,b=50}, the variants of {@code VARIANTS}), {@code EXPERIMENT_POLICY}
     * ({@code report}|{@code promote}, default report), {@code EXPERIMENT_ROUTE} ({@link #DEFAULT_ROUTE}),
     * {@code EXPERIMENT_PROMOTE_STEP} ({@value #DEFAULT_PROMOTE_STEP}).
     */
    public static ExperimentConfig fromEnv(Map<String, String> env, List<SolutionPlan.Variant> variants) {
        String table = trimmed(env, EXPERIMENTS_TABLE);
        if (table == null) return null;
        String id = trimmed(env, EXPERIMENT_ID);
        if (id == null) throw new IllegalArgumentException(EXPERIMENT_ID + " is required when " + EXPERIMENTS_TABLE + " is set");
        String policy = env.getOrDefault(EXPERIMENT_POLICY, "report").trim();
        String route = trimmed(env, EXPERIMENT_ROUTE);
        return new ExperimentConfig(table, id, ExperimentDecision.Policy.parse(policy), route == null ? DEFAULT_ROUTE : route,
                promoteStep(trimmed(env, EXPERIMENT_PROMOTE_STEP)), weights(trimmed(env, VARIANT_WEIGHTS), variants));
    }

    private static int promoteStep(String v) {
        if (v == null) return DEFAULT_PROMOTE_STEP;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EXPERIMENT_PROMOTE_STEP + " must be an integer in 1..100, got '" + v + "'");
        }
    }

    /** {@code a=50,b=50}: every A/B variant of {@code VARIANTS} exactly once and in its order, in 0..100. */
    static Map<String, Integer> weights(String spec, List<SolutionPlan.Variant> variants) {
        List<String> names = variants.stream().map(SolutionPlan.Variant::name).toList();
        if (spec == null) {
            throw new IllegalArgumentException(VARIANT_WEIGHTS + " is required when " + EXPERIMENTS_TABLE + " is set (the deployed split, e.g. a=50,b=50)");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(VARIANT_WEIGHTS + " must look like a=50,b=50; got '" + spec + "'");
            String name = part.substring(0, eq).trim();
            int weight;
            try {
                weight = Integer.parseInt(part.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(VARIANT_WEIGHTS + ": the weight of " + name + " must be an integer, got '" + spec + "'");
            }
            if (weight < 0 || weight > 100) throw new IllegalArgumentException(VARIANT_WEIGHTS + ": weights must be in 0..100, got '" + spec + "'");
            if (out.put(name, weight) != null) throw new IllegalArgumentException(VARIANT_WEIGHTS + " names " + name + " twice: '" + spec + "'");
        }
        // In VARIANTS' order, which is the API's: users' buckets are laid out in that order, so another order would move
        // users between variants when the pipeline publishes a split.
        if (!List.copyOf(out.keySet()).equals(names)) {
            throw new IllegalArgumentException(VARIANT_WEIGHTS + " must name exactly the variants of " + TrainingConfig.VARIANTS + ", in that order " + names
                    + ", got '" + spec + "'");
        }
        return out;
    }

    private static String trimmed(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
