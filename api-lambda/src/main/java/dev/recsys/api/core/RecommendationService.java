package dev.recsys.api.core;

import dev.recsys.api.ab.PersonalizeArns;
import dev.recsys.api.ab.ServedSplit;
import dev.recsys.api.ab.Variant;
import dev.recsys.api.cache.CacheAside;
import dev.recsys.api.cache.CacheAside.Computed;
import dev.recsys.api.fallback.PopularItems;
import dev.recsys.api.http.ApiError;
import dev.recsys.api.metrics.RequestMetrics;
import dev.recsys.api.resilience.GuardedRecommender;
import dev.recsys.api.resilience.ModelOutcome;
import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.common.event.Exposure;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The API's core in plain Java: variant assignment, cold-start detection, cache-aside, guarded
 * model calls, the popular-items fallback, and the exposure of every answer it serves (model or
 * fallback, cached or not). Inputs arrive validated; the handler owns HTTP.
 */
public final class RecommendationService {

    public static final String SIMS_VARIANT = "similar";
    public static final String RANKING_VARIANT = "ranking";

    private final Supplier<ServedSplit> split;
    private final String similarCampaignArn;
    private final String rankingCampaignArn;
    private final Map<String, String> filters;
    private final GuardedRecommender model;
    private final Supplier<PopularItems> popular;
    private final UserHistory history;
    private final ItemHistory items;
    private final CacheAside<Answer> cache;
    private final Exposures exposures;
    private final Clock clock;

    /**
     * @param split              the current split and experiment phase (it changes when the pipeline promotes a winner)
     * @param popular            the current fallback list
     * @param similarCampaignArn null when no SIMS campaign is deployed (related items then come from the fallback)
     * @param rankingCampaignArn null when no personalized-ranking campaign is deployed
     * @param filters            filter name (as clients send it) → Personalize filter ARN
     * @param cache              null to run without Redis
     */
    public RecommendationService(Supplier<ServedSplit> split, String similarCampaignArn, String rankingCampaignArn,
                                 Map<String, String> filters, GuardedRecommender model, Supplier<PopularItems> popular,
                                 UserHistory history, ItemHistory items, CacheAside<Answer> cache, Exposures exposures,
                                 Clock clock) {
        this.split = split;
        this.similarCampaignArn = similarCampaignArn;
        this.rankingCampaignArn = rankingCampaignArn;
        this.filters = Map.copyOf(filters);
        this.model = model;
        this.popular = popular;
        this.history = history;
        this.items = items;
        this.cache = cache;
        this.exposures = exposures;
        this.clock = clock;
    }

    /** @param route {@link Exposure#USER_RECOMMENDATIONS} or {@link Exposure#RECOMMEND}: the same answer, two routes */
    public Answer recommendForUser(String route, String userId, int limit, String filterName, RequestMetrics metrics,
                                   String requestId) {
        String filterArn = null;
        if (filterName != null) {
            filterArn = filters.get(filterName);
            if (filterArn == null) {
                throw ApiError.badRequest("unknown_filter", "filter must be one of " + filters.keySet());
            }
        }
        ServedSplit served = split.get();
        Variant variant = served.assigner().assign(userId);
        metrics.variant(variant.name());
        PopularItems fallback = popular.get();
        String field = String.join("|", "rec", variant.name(), PersonalizeArns.resourceName(variant.campaignArn()),
                fallback.modelVersion(), Integer.toString(limit), filterName == null ? "" : filterName);
        String arn = filterArn;
        Answer answer = cached(RecommendationCacheKeys.userKey(userId), field, metrics, requestId, () -> {
            if (!history.hasHistory(userId)) {
                return fallback(userId, null, fallback, limit, variant.name(), variant.campaignArn(),
                        FallbackReason.COLD_START);
            }
            ModelOutcome outcome = model.recommend(variant.campaignArn(), userId, limit, arn);
            metrics.breakerState(model.breakerState());
            return answered(outcome, userId, null, fallback, limit, variant.name(), variant.campaignArn());
        });
        return serve(route, served.experiment(), answer, userId, metrics);
    }

    /**
     * @param userId optional: the answer then leaves out what the user already has, is cached with the user's
     *               answers (so their next event invalidates it) and is attributable to them
     */
    public Answer similarItems(String itemId, String userId, int limit, RequestMetrics metrics, String requestId) {
        metrics.variant(SIMS_VARIANT);
        PopularItems fallback = popular.get();
        Answer answer;
        if (similarCampaignArn == null) {
            answer = fallback(userId, itemId, fallback, limit, SIMS_VARIANT, null, FallbackReason.NO_CAMPAIGN).value();
        } else {
            String field = String.join("|", "sim", PersonalizeArns.resourceName(similarCampaignArn),
                    fallback.modelVersion(), Integer.toString(limit), userId == null ? "" : itemId);
            String hash = userId == null ? RecommendationCacheKeys.itemKey(itemId) : RecommendationCacheKeys.userKey(userId);
            answer = cached(hash, field, metrics, requestId, () -> {
                if (!items.isKnown(itemId)) {
                    return fallback(userId, itemId, fallback, limit, SIMS_VARIANT, similarCampaignArn, FallbackReason.UNKNOWN_ITEM);
                }
                ModelOutcome outcome = model.similar(similarCampaignArn, itemId, userId, limit);
                metrics.breakerState(model.breakerState());
                return answered(outcome, userId, itemId, fallback, limit, SIMS_VARIANT, similarCampaignArn);
            });
        }
        return serve(Exposure.SIMILAR_ITEMS, split.get().experiment(), answer, userId, metrics);
    }

    /** Re-ranking depends on the caller's item list, so it is not cached. */
    public Answer rank(String userId, List<String> itemIds, RequestMetrics metrics) {
        metrics.variant(RANKING_VARIANT);
        PopularItems fallback = popular.get();
        FallbackReason reason;
        Answer answer = null;
        if (rankingCampaignArn == null) {
            reason = FallbackReason.NO_CAMPAIGN;
        } else if (!history.hasHistory(userId)) {
            reason = FallbackReason.COLD_START;
        } else {
            ModelOutcome outcome = model.rank(rankingCampaignArn, userId, itemIds);
            metrics.breakerState(model.breakerState());
            reason = null;
            if (outcome instanceof ModelOutcome.Answered a) {
                answer = new Answer(userId, null, a.recommendation().items(), null, a.recommendation().recommendationId(),
                        RANKING_VARIANT, rankingCampaignArn, fallback.modelVersion(), Answer.PERSONALIZE, null, false);
            } else {
                reason = ((ModelOutcome.Failed) outcome).reason();
            }
        }
        if (answer == null) {
            answer = new Answer(userId, null, rankByPopularity(itemIds, fallback), null, null, RANKING_VARIANT,
                    rankingCampaignArn, fallback.modelVersion(), Answer.FALLBACK, reason.wireName(), false);
        }
        return serve(Exposure.RANKINGS, split.get().experiment(), answer, userId, metrics);
    }

    /** Known-popular items first in popularity order, the rest in the caller's order. */
    static List<ScoredItem> rankByPopularity(List<String> itemIds, PopularItems popular) {
        Map<String, ScoredItem> rankOf = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>(itemIds);
        List<ScoredItem> ranked = new ArrayList<>(wanted.size());
        for (ScoredItem p : popular.items()) {
            if (wanted.contains(p.itemId()) && rankOf.putIfAbsent(p.itemId(), p) == null) {
                ranked.add(p);
            }
        }
        for (String id : wanted) {
            if (!rankOf.containsKey(id)) {
                ranked.add(new ScoredItem(id, null));
            }
        }
        return ranked;
    }

    /**
     * Gives the answer its own recommendation id and records it as an exposure. The recording is a
     * queue offer: it cannot slow or fail the answer.
     */
    private Answer serve(String route, String experiment, Answer answer, String userId, RequestMetrics metrics) {
        Answer served = answer.servedAs(newRecommendationId(), userId);
        boolean recorded;
        try {
            recorded = exposures.record(new Exposure(served.recommendationId(), clock.millis(), route, experiment,
                    served.variant(), served.campaignArn(), served.modelVersion(), served.modelRecommendationId(), served.source(),
                    served.fallbackReason(), userId, served.itemId(), served.items().stream().map(ScoredItem::itemId).toList(),
                    served.cached()));
        } catch (RuntimeException e) {
            recorded = false; // the sink promised not to throw; the answer must not pay if it does
        }
        metrics.exposure(recorded);
        return served;
    }

    private static String newRecommendationId() {
        return "rec-" + UUID.randomUUID();
    }

    private Answer cached(String hashKey, String field, RequestMetrics metrics, String requestId,
                          Supplier<Computed<Answer>> compute) {
        if (cache == null) {
            return compute.get().value();
        }
        return cache.get(hashKey, field, compute, Answer::asCached, metrics, requestId);
    }

    private static Computed<Answer> answered(ModelOutcome outcome, String userId, String itemId, PopularItems fallback,
                                             int limit, String variant, String campaignArn) {
        if (outcome instanceof ModelOutcome.Answered a) {
            return new Computed<>(new Answer(userId, itemId, a.recommendation().items(), null,
                    a.recommendation().recommendationId(), variant, campaignArn, fallback.modelVersion(), Answer.PERSONALIZE,
                    null, false), true);
        }
        return fallback(userId, itemId, fallback, limit, variant, campaignArn, ((ModelOutcome.Failed) outcome).reason());
    }

    /** Fallback answers are never cached: when the model recovers, the next request gets it. */
    private static Computed<Answer> fallback(String userId, String itemId, PopularItems fallback, int limit, String variant,
                                             String campaignArn, FallbackReason reason) {
        List<ScoredItem> items = fallback.top(limit + (itemId == null ? 0 : 1)).stream()
                .filter(i -> !i.itemId().equals(itemId)).limit(limit).toList();
        return new Computed<>(new Answer(userId, itemId, items, null, null, variant, campaignArn,
                fallback.modelVersion(), Answer.FALLBACK, reason.wireName(), false), false);
    }
}
