package dev.recsys.training;

import java.util.Locale;

/**
 * Why a solution is trained. Every run trains each one on the same data and gates every deployed one the
 * same way; the role only decides its name and whether it gets a campaign.
 */
public enum SolutionRole {
    /** An A/B arm of user recommendations, named by {@code VARIANTS}. */
    AB_VARIANT(null),
    /** Related items ({@code GET /items/{id}/similar}). */
    RELATED_ITEMS("similar"),
    /** Personalized re-ranking ({@code POST /rankings}). */
    RANKING("ranking"),
    /** What is rising now ({@code GET /trending}, Trending-Now): served, but not judged on the holdout (see QualityGate). */
    TRENDING("trending"),
    /** Popularity trained only to compare with: never gets a campaign. */
    BASELINE("baseline");

    private final String fixedName;

    SolutionRole(String fixedName) {
        this.fixedName = fixedName;
    }

    /** The name (solution and campaign {@code <prefix>-<name>}) of the role's one solution; null for A/B variants. */
    public String fixedName() {
        return fixedName;
    }

    public boolean deployed() {
        return this != BASELINE;
    }

    /** As it appears in task results and notifications: {@code ab-variant}, {@code related-items}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
