package dev.recsys.api.core;

import dev.recsys.api.core.AnswerCache.Computed;
import dev.recsys.api.core.AnswerCache.Lookup;
import dev.recsys.common.cache.RecommendationCacheKeys;
import dev.recsys.common.contract.Contract;
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
 * The API's core in plain Java: variant assignment, cold-start detection, filters, cache-aside, guarded
 * model calls, the popular-items fallback (filtered like the model's answers), and the exposure of every answer it
 * serves (model or fallback, cached or not). Inputs arrive shape-checked; the handler owns HTTP. It talks to the world
 * only through the ports in this package, and reports what each answer took in its {@link Served}.
 */
public final class RecommendationService {

    public static final String SIMS_VARIANT = "similar";
    public static final String RANKING_VARIANT = "ranking";
    public static final String TRENDING_VARIANT = "trending";
    public static final String POPULAR_VARIANT = "popular";
    public static final String TRENDING_ROUTE = Contract.get().api().route("trending").template();
    public static final String POPULAR_ROUTE = Contract.get().api().route("popular").template();

    private final Supplier<? extends Split> split;
    private final String similarCampaignArn;
    private final String rankingCampaignArn;
    private final String trendingCampaignArn;
    private final Filters filters;
    private final Map<String, Promotion> promotionByRoute;
    private final Model model;
    private final Supplier<? extends FallbackList> popular;
    private final UserHistory history;
    private final ItemHistory items;
    private final FallbackSelection selection;
    private final AnswerCache cache;
    private final Exposures exposures;
    private final Clock clock;

    /** The campaigns of the use cases beside the A/B-tested user recommendations; null: not deployed (fallback answers). */
    public record Campaigns(String similar, String ranking, String trending) {}

    /** What the fallback path reads to filter the popular list and attach metadata. */
    public record Catalog(ItemCatalog items, UserInteractions interactions, UserAttributes users) {}

    /**
     * @param split      the current split and experiment phase (it changes when the pipeline promotes a winner)
     * @param popular    the current fallback list
     * @param promotions at most one per route template
     * @param cache      null to run without Redis
     */
    public RecommendationService(Supplier<? extends Split> split, Campaigns campaigns, Filters filters, List<Promotion> promotions,
                                 Model model, Supplier<? extends FallbackList> popular, UserHistory history, ItemHistory items,
                                 Catalog catalog, AnswerCache cache, Exposures exposures, Clock clock) {
        this.split = split;
        this.similarCampaignArn = campaigns.similar();
        this.rankingCampaignArn = campaigns.ranking();
        this.trendingCampaignArn = campaigns.trending();
        this.filters = filters;
        Map<String, Promotion> byRoute = new HashMap<>();
        for (Promotion p : promotions) {
            for (String r : p.routes()) {
                if (byRoute.put(r, p) != null) throw new IllegalArgumentException("route " + r + " has two promotions; Personalize takes one per request");
            }
        }
        this.promotionByRoute = Map.copyOf(byRoute);
        this.model = model;
        this.popular = popular;
        this.history = history;
        this.items = items;
        this.selection = new FallbackSelection(catalog.items(), catalog.interactions(), catalog.users());
        this.cache = cache;
        this.exposures = exposures;
        this.clock = clock;
    }

    /** @param route {@link Exposure#USER_RECOMMENDATIONS} or {@link Exposure#RECOMMEND}: the same answer, two routes */
    public Served recommendForUser(String route, String userId, int limit, RequestOptions options, String requestId) {
        FilterChoice filter = filters.choose(options.filter(), options.filterValues(), new Filters.Scope(userId, null, true));
        List<String> columns = options.metadataColumns();
        Promotion promotion = promotionByRoute.get(route);
        Split served = split.get();
        Split.Arm variant = served.assign(userId);
        FallbackList fallback = popular.get();
        String field = String.join("|", "rec", variant.name(), resourceName(variant.campaignArn()),
                fallback.modelVersion(), Integer.toString(limit), filter.cacheField(), String.join(",", columns),
                promotion == null ? "" : promotion.name());
        ModelCall call = new ModelCall();
        Lookup answer = cached(RecommendationCacheKeys.userKey(userId), field, requestId, () -> {
            Fallback fb = new Fallback(userId, null, fallback, limit, filter, columns, variant.name(), variant.campaignArn());
            if (!history.hasHistory(userId)) {
                return fb.answer(FallbackReason.COLD_START);
            }
            ModelOutcome outcome = call.asked(model.recommend(new ModelRequest(variant.campaignArn(), userId, null, limit,
                    filter.arn(), filter.personalizeValues(), columns, promotion)));
            return answered(outcome, fb);
        });
        return serve(route, served.experiment(), answer, call, userId);
    }

    /**
     * @param userId optional: the answer then leaves out what the user already has, is cached with the user's
     *               answers (so their next event invalidates it) and is attributable to them
     */
    public Served similarItems(String itemId, String userId, int limit, RequestOptions options, String requestId) {
        FilterChoice filter = filters.choose(options.filter(), options.filterValues(), new Filters.Scope(userId, itemId, false));
        List<String> columns = options.metadataColumns();
        Promotion promotion = promotionByRoute.get(Exposure.SIMILAR_ITEMS);
        FallbackList fallback = popular.get();
        Fallback fb = new Fallback(userId, itemId, fallback, limit, filter, columns, SIMS_VARIANT, similarCampaignArn);
        ModelCall call = new ModelCall();
        Lookup answer;
        if (similarCampaignArn == null) {
            answer = new Lookup(fb.answer(FallbackReason.NO_CAMPAIGN).value(), CacheOutcome.BYPASS);
        } else {
            String field = String.join("|", "sim", resourceName(similarCampaignArn), fallback.modelVersion(), Integer.toString(limit),
                    userId == null ? "" : itemId, filter.cacheField(), String.join(",", columns), promotion == null ? "" : promotion.name());
            String hash = userId == null ? RecommendationCacheKeys.itemKey(itemId) : RecommendationCacheKeys.userKey(userId);
            answer = cached(hash, field, requestId, () -> {
                if (!items.isKnown(itemId)) {
                    return fb.answer(FallbackReason.UNKNOWN_ITEM);
                }
                ModelOutcome outcome = call.asked(model.recommend(new ModelRequest(similarCampaignArn, userId, itemId, limit,
                        filter.arn(), filter.personalizeValues(), columns, promotion)));
                return answered(outcome, fb);
            });
        }
        return serve(Exposure.SIMILAR_ITEMS, split.get().experiment(), answer, call, userId);
    }

    /**
     * Trending-Now items; without a campaign, or when the model fails, the popular list answers.
     *
     * @param userId optional, needed by filters on the user's interactions; with it the answer is cached with the user's
     */
    public Served trending(String userId, int limit, RequestOptions options, String requestId) {
        FilterChoice filter = filters.choose(options.filter(), options.filterValues(), new Filters.Scope(userId, null, false));
        List<String> columns = options.metadataColumns();
        Promotion promotion = promotionByRoute.get(TRENDING_ROUTE);
        FallbackList fallback = popular.get();
        Fallback fb = new Fallback(userId, null, fallback, limit, filter, columns, TRENDING_VARIANT, trendingCampaignArn);
        ModelCall call = new ModelCall();
        Lookup answer;
        if (trendingCampaignArn == null) {
            answer = new Lookup(fb.answer(FallbackReason.NO_CAMPAIGN).value(), CacheOutcome.BYPASS);
        } else {
            String field = String.join("|", "trend", resourceName(trendingCampaignArn), fallback.modelVersion(), Integer.toString(limit),
                    filter.cacheField(), String.join(",", columns), promotion == null ? "" : promotion.name());
            String hash = userId == null ? RecommendationCacheKeys.globalKey(TRENDING_VARIANT) : RecommendationCacheKeys.userKey(userId);
            answer = cached(hash, field, requestId, () -> answered(call.asked(model.recommend(new ModelRequest(trendingCampaignArn,
                    userId, null, limit, filter.arn(), filter.personalizeValues(), columns, promotion))), fb));
        }
        return serve(TRENDING_ROUTE, split.get().experiment(), answer, call, userId);
    }

    /** The published popular list, filtered like any answer: never cached (no model call to save). */
    public Served popular(String userId, int limit, RequestOptions options) {
        FilterChoice filter = filters.choose(options.filter(), options.filterValues(), new Filters.Scope(userId, null, false));
        FallbackList fallback = popular.get();
        Answer a = new Answer(userId, null, selection.select(fallback.items(), limit, filter, userId, null, options.metadataColumns()),
                null, null, POPULAR_VARIANT, null, fallback.modelVersion(), Answer.FALLBACK, null, false);
        return serve(POPULAR_ROUTE, split.get().experiment(), new Lookup(a, CacheOutcome.BYPASS), new ModelCall(), userId);
    }

    /** Re-ranking depends on the caller's item list, so it is not cached. */
    public Served rank(String userId, List<String> itemIds, RequestOptions options) {
        FilterChoice filter = filters.choose(options.filter(), options.filterValues(), new Filters.Scope(userId, null, false));
        List<String> columns = options.metadataColumns();
        FallbackList fallback = popular.get();
        ModelCall call = new ModelCall();
        FallbackReason reason;
        Answer answer = null;
        if (rankingCampaignArn == null) {
            reason = FallbackReason.NO_CAMPAIGN;
        } else if (!history.hasHistory(userId)) {
            reason = FallbackReason.COLD_START;
        } else {
            ModelOutcome outcome = call.asked(model.rank(new ModelRequest(rankingCampaignArn, userId, null, itemIds.size(),
                    filter.arn(), filter.personalizeValues(), columns, null), itemIds));
            reason = null;
            if (outcome instanceof ModelOutcome.Answered a) {
                answer = new Answer(userId, null, withColumns(a.recommendation().items(), columns), null,
                        a.recommendation().recommendationId(), RANKING_VARIANT, rankingCampaignArn, fallback.modelVersion(),
                        Answer.PERSONALIZE, null, false);
            } else {
                reason = ((ModelOutcome.Failed) outcome).reason();
            }
        }
        if (answer == null) {
            List<ScoredItem> ranked = rankByPopularity(itemIds, fallback);
            answer = new Answer(userId, null, selection.select(ranked, ranked.size(), filter, userId, null, columns), null, null,
                    RANKING_VARIANT, rankingCampaignArn, fallback.modelVersion(), Answer.FALLBACK, reason, false);
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

    /** The popular-items answer of one request, filtered by its filter (the seed item left out). */
    private final class Fallback {
        final String userId;
        final String itemId;
        final FallbackList list;
        final int limit;
        final FilterChoice filter;
        final List<String> columns;
        final String variant;
        final String campaignArn;

        Fallback(String userId, String itemId, FallbackList list, int limit, FilterChoice filter, List<String> columns,
                 String variant, String campaignArn) {
            this.userId = userId;
            this.itemId = itemId;
            this.list = list;
            this.limit = limit;
            this.filter = filter;
            this.columns = columns;
            this.variant = variant;
            this.campaignArn = campaignArn;
        }

        /** Fallback answers are never cached: when the model recovers, the next request gets it. */
        Computed answer(FallbackReason reason) {
            List<ScoredItem> candidates = list.items().stream().filter(i -> !i.itemId().equals(itemId)).toList();
            return new Computed(new Answer(userId, itemId, selection.select(candidates, limit, filter, userId, itemId, columns),
                    null, null, variant, campaignArn, list.modelVersion(), Answer.FALLBACK, reason, false), false);
        }

        String modelVersion() {
            return list.modelVersion();
        }
    }

    private static Computed answered(ModelOutcome outcome, Fallback fb) {
        if (outcome instanceof ModelOutcome.Answered a) {
            return new Computed(new Answer(fb.userId, fb.itemId, withColumns(a.recommendation().items(), fb.columns), null,
                    a.recommendation().recommendationId(), fb.variant, fb.campaignArn, fb.modelVersion(), Answer.PERSONALIZE,
                    null, false), true);
        }
        return fb.answer(((ModelOutcome.Failed) outcome).reason());
    }

    /** The model's metadata under the names the request used. */
    private static List<ScoredItem> withColumns(List<ScoredItem> items, List<String> columns) {
        return items.stream().map(i -> i.metadataFor(columns)).toList();
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
}
