package dev.recsys.common.event;

import dev.recsys.common.contract.Contract;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One answer the API showed: the second record kind on the interactions stream
 * ({@code "record_type": "exposure"}, partition key = the user, so a user's exposures and
 * interactions share a shard and its order). The consumer stores it for attribution and lands it in
 * the lake beside the interactions, where the Glue job turns it into Personalize impressions.
 *
 * @param recommendationId the id the answer carried; clients send it back on the interactions it caused
 * @param route            one of {@link #ROUTES}, the API route template that answered
 * @param variant          the A/B arm (or the use case's single arm, e.g. {@code similar})
 * @param modelRecommendationId Personalize's own recommendationId when a model answered, else null
 * @param source           {@code personalize} or {@code fallback}
 * @param userId           the caller's user, null for an anonymous related-items answer
 * @param itemId           the seed item of a related-items answer, else null
 * @param items            what was shown, in order
 */
public record Exposure(String recommendationId, long timestampMillis, String route, String experiment, String variant,
                       String campaignArn, String modelVersion, String modelRecommendationId, String source,
                       String fallbackReason, String userId, String itemId, List<String> items, boolean cached) {

    public static final String RECORD_TYPE = "exposure";
    // The templates of the contract's api.routes (a rename there reaches the router, the gateway and these).
    private static final Contract.Api API = Contract.get().api();
    public static final String USER_RECOMMENDATIONS = API.route("user_recommendations").template();
    public static final String RECOMMEND = API.route("recommend").template();
    public static final String SIMILAR_ITEMS = API.route("similar_items").template();
    public static final String RANKINGS = API.route("rankings").template();
    /** The API routes whose answers are exposures: the contract's routes marked {@code exposure}. */
    public static final Set<String> ROUTES = API.exposureTemplates();
    public static final Set<String> SOURCES = Set.of("personalize", "fallback");
    /** An answer holds at most this many items (rankings re-order up to 500). */
    public static final int MAX_ITEMS = 500;
    /**
     * How long after an answer an interaction is credited to it by default: the consumer's attribution
     * window, and how far before its window the Glue job looks for the answers its interactions name.
     */
    public static final Duration DEFAULT_ATTRIBUTION_WINDOW = Duration.ofMinutes(30);

    public Exposure {
        Objects.requireNonNull(recommendationId, "recommendationId");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(source, "source");
        items = List.copyOf(items);
    }
}
