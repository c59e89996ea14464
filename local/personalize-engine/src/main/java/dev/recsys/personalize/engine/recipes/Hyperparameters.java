package dev.recsys.personalize.engine.recipes;

import java.util.Map;
import java.util.Set;

/**
 * Training knobs, read from a solution's {@code solutionConfig.algorithmHyperParameters}.
 *
 * @param easeLambda     L2 regularisation of EASE; larger is smoother
 * @param maxItems       EASE models the most popular {@code maxItems} items (dense n x n inverse);
 *                       a tiny value makes a deliberately weak model, e.g. to exercise a quality gate
 * @param simsNeighbors  neighbours kept per item by SIMS
 * @param simsMaxHistory most recent items per user that count towards SIMS co-occurrence (bounds cost)
 */
public record Hyperparameters(double easeLambda, int maxItems, int simsNeighbors, int simsMaxHistory) {

    public static final String EASE_LAMBDA = "ease_lambda";
    public static final String MAX_ITEMS = "max_items";
    public static final String SIMS_NEIGHBORS = "sims_neighbors";
    public static final String SIMS_MAX_HISTORY = "sims_max_history";
    private static final Set<String> KNOWN = Set.of(EASE_LAMBDA, MAX_ITEMS, SIMS_NEIGHBORS, SIMS_MAX_HISTORY);

    public static final Hyperparameters DEFAULTS = new Hyperparameters(300.0, 5_000, 100, 200);

    public Hyperparameters {
        if (!(easeLambda > 0) || Double.isInfinite(easeLambda)) throw new IllegalArgumentException(EASE_LAMBDA + " must be > 0");
        if (maxItems < 1 || maxItems > 20_000) throw new IllegalArgumentException(MAX_ITEMS + " must be in [1, 20000]");
        if (simsNeighbors < 1 || simsNeighbors > 1_000) throw new IllegalArgumentException(SIMS_NEIGHBORS + " must be in [1, 1000]");
        if (simsMaxHistory < 1) throw new IllegalArgumentException(SIMS_MAX_HISTORY + " must be >= 1");
    }

    /** Unknown names are rejected so that a typo cannot silently train the default model. */
    public static Hyperparameters from(Map<String, String> values) {
        for (String name : values.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unsupported hyperparameter " + name + "; supported: " + KNOWN);
            }
        }
        return new Hyperparameters(
                number(values, EASE_LAMBDA, DEFAULTS.easeLambda),
                (int) number(values, MAX_ITEMS, DEFAULTS.maxItems),
                (int) number(values, SIMS_NEIGHBORS, DEFAULTS.simsNeighbors),
                (int) number(values, SIMS_MAX_HISTORY, DEFAULTS.simsMaxHistory));
    }

    private static double number(Map<String, String> values, String name, double fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }
}
