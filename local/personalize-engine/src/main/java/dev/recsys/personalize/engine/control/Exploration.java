package dev.recsys.personalize.engine.control;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A User-Personalization campaign's {@code campaignConfig.itemExplorationConfig}: the share of slots given to new
 * items ({@code explorationWeight}, 0-1) and how young an item must be to count as new
 * ({@code explorationItemAgeCutOff}, days). Unlike Personalize (0.3 by default), the engine explores only when the
 * campaign asks, so answers stay comparable with the model's own ranking unless exploration is chosen.
 */
public record Exploration(double weight, double cutOffDays) {

    public static final Exploration NONE = new Exploration(0, 30);

    /** Reads and checks the config; InvalidInputException for values Personalize would refuse. */
    static Exploration of(JsonNode campaignConfig) {
        JsonNode e = campaignConfig == null ? null : campaignConfig.path("itemExplorationConfig");
        if (e == null || e.isMissingNode() || e.isNull()) return NONE;
        double weight = number(e, "explorationWeight", 0);
        double cutOff = number(e, "explorationItemAgeCutOff", 30);
        if (weight < 0 || weight > 1) throw ServiceException.invalid("explorationWeight must be in [0, 1]");
        if (!(cutOff > 0)) throw ServiceException.invalid("explorationItemAgeCutOff must be a positive number of days");
        return new Exploration(weight, cutOff);
    }

    /** Exploration slots of an answer of {@code n}. */
    public int slots(int n) {
        return (int) Math.floor(n * weight);
    }

    private static double number(JsonNode config, String field, double fallback) {
        JsonNode v = config.get(field);
        if (v == null || v.isNull()) return fallback;
        try {
            return Double.parseDouble(v.asText().trim());
        } catch (NumberFormatException ex) {
            throw ServiceException.invalid(field + " must be a number, got '" + v.asText() + "'");
        }
    }
}
