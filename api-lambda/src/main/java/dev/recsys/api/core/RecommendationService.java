package dev.recsys.api.core;

import dev.recsys.api.core.AnswerCache.Computed;
import dev.recsys.api.core.AnswerCache.Lookup;
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
 * fallback, cached or not). Inputs arrive validated; the handler owns HTTP. It talks to the world only
 * through the ports in this package, and reports what each answer took in its {@link Served}.
 */
public final class RecommendationService {

    public static final String SIMS_VARIANT = "similar";
    public static final String RANKING_VARIANT = "ranking";

    private final Supplier<? extends Split> split;
    private final String similarCampaignArn;
    private final String rankingCampaignArn;
    private final Map<String, String> filters;
    private final Model model;
    private final Supplier<? extends FallbackList> popular;
    private final UserHistory history;
    private final ItemHistory items;
    private final AnswerCache cache;
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
    public RecommendationService(Supplier<? extends Split> split, String similarCampaignArn, String rankingCampaignArn,
                                 Map<String, String> filters, Model model, Supplier<? extends FallbackList> popular,
                                 UserHistory history, ItemHistory items, AnswerCache cache, Exposures exposures,
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
    public Served recommendForUser(String route, String userId, int limit, String filterName, String requestId) {
        String filterArn = null;
        if (filterName != null) {
            filterArn = filters.get(filterName);
            if (filterArn == null) {
                throw new RequestRejected(RequestRejected.Kind.INVALID, "unknown_filter",
                        "filter must be one of " + filters.keySet());
            }
        }
        Split served = split.get();
        Split.Arm variant = served.assign(userId);
        FallbackList fallback = popular.get();
        String field = String.join("|", "rec", variant.name(), resourceName(variant.campaignArn()),
                fallback.modelVersion(), Integer.toString(limit), filterName == null ? "" : filterName);
        String arn = filterArn;
        ModelCall call = new ModelCall();
        Lookup answer = cached(RecommendationCacheKeys.userKey(userId), field, requestId, () -> {
            if (!history.hasHistory(userId)) {
                return fallback(userId, null, fallback, limit, variant.name(), variant.campaignArn(),
                        FallbackReason.COLD_START);
            }
            ModelOutcome outcome = call.asked(model.recommend(variant.campaignArn(), userId, limit, arn));
            return answered(outcome, userId, null, fallback, limit, variant.name(), variant.campaignArn());
        });
        return serve(route, served.experiment(), answer, call, userId);
    }

    /**
     * @param userId optional: the answer then leaves out what the user already has, is cached with the user's
     *               answers (so their next event invalidates it) and is attributable to them
     */
    public Served similarItems(String itemId, String userId, int limit, String requestId) {
        FallbackList fallback = popular.get();
        ModelCall call = new ModelCall();
        Lookup answer;
        if (similarCampaignArn == null) {
            answer = new Lookup(fallback(userId, itemId, fallback, limit, SIMS_VARIANT, null, FallbackReason.NO_CAMPAIGN).value(),
                    CacheOutcome.BYPASS);
        } else {
            String field = String.join("|", "sim", resourceName(similarCampaignArn),
                    fallback.modelVersion(), Integer.toString(limit), userId == null ? "" : itemId);
            String hash = userId == null ? RecommendationCacheKeys.itemKey(itemId) : RecommendationCacheKeys.userKey(userId);
            answer = cached(hash, field, requestId, () -> {
                if (!items.isKnown(itemId)) {
                    return fallback(userId, itemId, fallback, limit, SIMS_VARIANT, similarCampaignArn, FallbackReason.UNKNOWN_ITEM);
                }
                ModelOutcome outcome = call.asked(model.similar(similarCampaignArn, itemId, userId, limit));
                return answered(outcome, userId, itemId, fallback, limit, SIMS_VARIANT, similarCampaignArn);
            });
        }
        return serve(Exposure.SIMILAR_ITEMS, split.get().experiment(), answer, call, userId);
    }

    /** Re-ranking depends on the caller's item list, so it is not cached. */
    public Served rank(String userId, List<String> itemIds) {
        FallbackList fallback = popular.get();
        ModelCall call = new ModelCall();
        FallbackReason reason;
        Answer answer = null;
        if (rankingCampaignArn == null) {
            reason = FallbackReason.NO_CAMPAIGN;
        } else if (!history.hasHistory(userId)) {
            reason = FallbackReason.COLD_START;
        } else {
            ModelOutcome outcome = call.asked(model.rank(rankingCampaignArn, userId, itemIds));
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
                    rankingCampaignArn, fallback.modelVersion(), Answer.FALLBACK, reason, false);
        }
        return serve(Exposure.RANKINGS, split.get().experiment(), new Lookup(answer, CacheOutcome.BYPASS), call, userId);
    }

    /** Known-popular items first in popularity order, the rest in the caller's order. */
    static List<ScoredItem> rankByPopularity(List<String> itemIds, FallbackList popular) {
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
    private Served serve(String route, String experiment, Lookup answer, ModelCall call, String userId) {
        Answer served = answer.value().servedAs(newRecommendationId(), userId);
        boolean recorded;
        try {
            recorded = exposures.record(new Exposure(served.recommendationId(), clock.millis(), route, experiment,
                    served.variant(), served.campaignArn(), served.modelVersion(), served.modelRecommendationId(), served.source(),
                    served.fallbackReason() == null ? null : served.fallbackReason().wireName(), userId, served.itemId(),
                    served.items().stream().map(ScoredItem::itemId).toList(), served.cached()));
        } catch (RuntimeException e) {
            recorded = false; // the sink promised not to throw; the answer must not pay if it does
        }
        return new Served(served, answer.outcome(), call.breakerState, recorded);
    }

    /** Notes the breaker state when the model was asked, for the metrics (null when it was not). */
    private final class ModelCall {
        String breakerState;

        ModelOutcome asked(ModelOutcome outcome) {
            breakerState = model.breakerState();
            return outcome;
        }
    }

    /** The trailing resource name of an ARN, e.g. {@code my-campaign}: ARNs are too long for cache fields. */
    private static String resourceName(String arn) {
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    private static String newRecommendationId() {
        return "rec-" + UUID.randomUUID();
    }

    private Lookup cached(String hashKey, String field, String requestId, Supplier<Computed> compute) {
        if (cache == null) {
            return new Lookup(compute.get().value(), CacheOutcome.BYPASS);
        }
        return cache.get(hashKey, field, compute, requestId);
    }

    private static Computed answered(ModelOutcome outcome, String userId, String itemId, FallbackList fallback,
                                             int limit, String variant, String campaignArn) {
        if (outcome instanceof ModelOutcome.Answered a) {
            return new Computed(new Answer(userId, itemId, a.recommendation().items(), null,
                    a.recommendation().recommendationId(), variant, campaignArn, fallback.modelVersion(), Answer.PERSONALIZE,
                    null, false), true);
        }
        return fallback(userId, itemId, fallback, limit, variant, campaignArn, ((ModelOutcome.Failed) outcome).reason());
    }

    /** Fallback answers are never cached: when the model recovers, the next request gets it. */
    private static Computed fallback(String userId, String itemId, FallbackList fallback, int limit, String variant,
                                             String campaignArn, FallbackReason reason) {
        List<ScoredItem> items = fallback.top(limit + (itemId == null ? 0 : 1)).stream()
                .filter(i -> !i.itemId().equals(itemId)).limit(limit).toList();
        return new Computed(new Answer(userId, itemId, items, null, null, variant, campaignArn,
                fallback.modelVersion(), Answer.FALLBACK, reason, false), false);
    }
}
