package dev.recsys.personalize.engine.recipes;

import java.util.List;
import java.util.Optional;

/** The Personalize recipes the engine trains, by the names of their real recipe ARNs. */
public enum Recipe {
    /** Most events first. */
    POPULARITY(List.of("aws-popularity-count")),
    /** Related items: item-item co-occurrence cosine similarity. */
    SIMS(List.of("aws-sims", "aws-similar-items")),
    /** EASE (closed-form item-item linear autoencoder) scored against the user's history. */
    USER_PERSONALIZATION(List.of("aws-user-personalization", "aws-user-personalization-v2")),
    /** The same EASE model, ranking a caller's candidate list. */
    PERSONALIZED_RANKING(List.of("aws-personalized-ranking", "aws-personalized-ranking-v2")),
    /** Trending-Now: the items gaining interactions fastest ({@link TrendingScorer}); the same for every user. */
    TRENDING_NOW(List.of("aws-trending-now"));

    public static final String ARN_PREFIX = "arn:aws:personalize:::recipe/";

    private final List<String> names;

    Recipe(List<String> names) {
        this.names = names;
    }

    public static Optional<Recipe> fromArn(String recipeArn) {
        if (recipeArn == null || !recipeArn.startsWith(ARN_PREFIX)) return Optional.empty();
        String name = recipeArn.substring(ARN_PREFIX.length());
        for (Recipe r : values()) {
            if (r.names.contains(name)) return Optional.of(r);
        }
        return Optional.empty();
    }

    public List<String> names() {
        return names;
    }

    /** Campaigns of this recipe answer GetPersonalizedRanking; the others answer GetRecommendations. */
    public boolean ranksCandidates() {
        return this == PERSONALIZED_RANKING;
    }

    /** Trending answers need no user (GET /trending may be anonymous); the other user recipes need one. */
    public boolean needsUserId() {
        return this != TRENDING_NOW && this != SIMS;
    }

    /** Related-items recipes need an itemId in GetRecommendations; the others need a userId. */
    public boolean needsItemId() {
        return this == SIMS;
    }
}
