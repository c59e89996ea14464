package dev.recsys.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.recsys.api.core.FilterChoice;
import dev.recsys.api.core.Filters;
import dev.recsys.api.core.NamedFilter;
import dev.recsys.api.core.Promotion;
import dev.recsys.common.filter.FilterExpression;
import dev.recsys.common.filter.InvalidFilterExpressionException;
import dev.recsys.api.ab.PersonalizeArns;
import dev.recsys.api.ab.Variant;
import dev.recsys.api.ab.VariantAssigner;
import dev.recsys.api.cache.CacheConfig;
import dev.recsys.api.fallback.PopularItems;
import dev.recsys.api.http.Access;
import dev.recsys.api.http.Cors;
import dev.recsys.api.json.Json;
import dev.recsys.api.resilience.ResilienceConfig;
import dev.recsys.common.contract.Contract;
import dev.recsys.common.event.EventLimits;
import dev.recsys.common.keys.S3Layout;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything the API is configured with, validated at init so a bad deployment fails its first
 * (SnapStart: its publishing) invocation loudly instead of serving nonsense. Read from environment
 * variables named {@code RECSYS_*}, by the keys of the contract's {@code environment.api_lambda} (see
 * {@link #fromEnvironment}): {@code "experiment"} is {@code RECSYS_EXPERIMENT}, and so on.
 *
 * @param cache              null: no Redis
 * @param fallbackBucket     null: only the static list
 * @param userProfilesTable  null: no cold-start detection (the model answers every user)
 * @param trendingCampaignArn null: GET /trending answers from the popular list
 * @param filters            the named filters (RECSYS_FILTERS) and the default for user recommendations
 * @param promotions         at most one per route
 * @param interactionsTable  null: every item counts as known to the related-items model, and no user has a history
 *                           for fallback filters (a filter on interactions then needs it: checked here)
 * @param itemsTable         the catalog fallback answers are filtered with and metadata read from; null: no item has
 *                           attributes (a filter on Items fields then needs it: checked here)
 * @param usersTable         the users' metadata fallback answers' {@code IF CurrentUser} conditions read; null: every
 *                           user is unknown (a filter with such a condition then needs it: checked here)
 * @param experimentsTable   null: {@code GET /experiments} answers 404
 * @param exposures          null: answers are not recorded as exposures
 * @param access             what a verified caller may ask for (mode jwt unless set to none)
 */
public record ApiConfig(String experiment, List<Variant> variants, String similarCampaignArn, String rankingCampaignArn,
                        String trendingCampaignArn, Filters filters, List<Promotion> promotions, CacheConfig cache,
                        ResilienceConfig resilience,
                        String fallbackBucket, String fallbackKey, Duration fallbackRefresh, PopularItems staticFallback,
                        String userProfilesTable, String interactionsTable, String itemsTable, String usersTable,
                        String experimentsTable, ExposureConfig exposures, Cors cors, Access access,
                        int maxBodyBytes, String metricsNamespace) {

    /**
     * Exposure logging onto the interactions stream.
     *
     * @param linger   how long a queued exposure waits for a fuller batch
     * @param capacity queued exposures at most; beyond it they are dropped and counted
     * @param flushBudget how long the Lambda post-invoke hook may spend sending what is queued
     */
    public record ExposureConfig(String stream, int capacity, Duration linger, int attempts, Duration flushBudget) {
        public ExposureConfig {
            if (stream == null || stream.isBlank()) throw new IllegalArgumentException("exposure stream name is required");
            if (capacity < 1 || attempts < 1) throw new IllegalArgumentException("exposure capacity and attempts must be >= 1");
        }
    }

    /** The deployment name the offline stack uses; Terraform sets RECSYS_METRICS_NAMESPACE from its own. */
    private static final String LOCAL_DEPLOYMENT = "recsys";
    private static final Pattern FILTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public ApiConfig {
        VariantAssigner.validate(variants);
        variants = List.copyOf(variants);
        promotions = List.copyOf(promotions);
        if (similarCampaignArn != null && !PersonalizeArns.isCampaign(similarCampaignArn)) {
            throw new IllegalArgumentException("similar campaign is not a Personalize campaign ARN: " + similarCampaignArn);
        }
        if (rankingCampaignArn != null && !PersonalizeArns.isCampaign(rankingCampaignArn)) {
            throw new IllegalArgumentException("ranking campaign is not a Personalize campaign ARN: " + rankingCampaignArn);
        }
        if (trendingCampaignArn != null && !PersonalizeArns.isCampaign(trendingCampaignArn)) {
            throw new IllegalArgumentException("trending campaign is not a Personalize campaign ARN: " + trendingCampaignArn);
        }
        for (NamedFilter f : filters.all().values()) {
            if (itemsTable == null && (!f.expression().itemFields().isEmpty() || f.expression().usesCurrentItem())) {
                throw new IllegalArgumentException("filter " + f.name() + " reads Items fields: fallback answers need the items table ("
                        + ENV_NAMES.name("items_table") + ")");
            }
            if (usersTable == null && f.expression().usesCurrentUser()) {
                throw new IllegalArgumentException("filter " + f.name() + " has IF CurrentUser conditions: fallback answers need the users table ("
                        + ENV_NAMES.name("users_table") + ")");
            }
            if (interactionsTable == null && f.expression().usesInteractions()) {
                throw new IllegalArgumentException("filter " + f.name() + " reads Interactions: fallback answers need the interactions table ("
                        + ENV_NAMES.name("interactions_table") + ")");
            }
        }
        if (maxBodyBytes < 256 || maxBodyBytes > 6 * 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be in 256..6291456 (the Lambda payload limit)");
        }
        if (staticFallback.items().isEmpty()) {
            throw new IllegalArgumentException("a non-empty static fallback list is required");
        }
    }

    public static ApiConfig fromEnvironment(Map<String, String> env) {
        Env e = new Env(env);
        List<Variant> variants;
        if (e.get("variants") != null) {
            variants = e.json("variants", new TypeReference<List<Variant>>() {});
        } else {
            variants = List.of(new Variant("default", e.required("campaign_arn"), 100));
        }
        Filters filters = filters(e);
        List<Promotion> promotions = e.get("promotions") == null ? List.of()
                : promotions(e, filters, e.json("promotions", new TypeReference<List<PromotionConfig>>() {}));
        CacheConfig cache = null;
        if (e.get("redis_url") != null) {
            CacheConfig d = CacheConfig.defaults(e.get("redis_url"));
            String user = e.get("redis_user");
            String cacheName = e.get("redis_cache_name");
            cache = new CacheConfig(d.redisUrl(), user == null && cacheName == null ? null : new CacheConfig.User(user, cacheName),
                    e.duration("cache_ttl_seconds", d.ttl(), Duration::ofSeconds),
                    e.duration("redis_timeout_ms", d.commandTimeout(), Duration::ofMillis),
                    e.duration("redis_connect_timeout_ms", d.connectTimeout(), Duration::ofMillis),
                    d.fillLockTtl(), e.duration("cache_fill_wait_ms", d.fillWait(), Duration::ofMillis),
                    d.reconnectBackoff());
        }
        ResilienceConfig r = ResilienceConfig.defaults();
        ResilienceConfig resilience = new ResilienceConfig(
                e.duration("personalize_timeout_ms", r.timeout(), Duration::ofMillis),
                e.integer("bulkhead_max_concurrent", r.maxConcurrentCalls()),
                e.integer("breaker_window", r.breakerWindow()),
                e.integer("breaker_min_calls", r.breakerMinCalls()),
                e.integer("breaker_failure_rate", Math.round(r.failureRatePercent())),
                e.duration("breaker_open_ms", r.openDuration(), Duration::ofMillis),
                e.integer("breaker_half_open_calls", r.halfOpenCalls()));
        List<String> staticItems = Arrays.stream(e.required("fallback_static_items").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String id : staticItems) {
            if (!EventLimits.isValidId(id)) {
                throw new IllegalArgumentException(e.name("fallback_static_items") + ": invalid item id " + id);
            }
        }
        return new ApiConfig(
                e.getOr("experiment", Contract.get().experiment().defaultId()), variants,
                e.get("similar_campaign_arn"), e.get("ranking_campaign_arn"), e.get("trending_campaign_arn"), filters, promotions,
                cache, resilience,
                e.get("fallback_bucket"), e.getOr("fallback_key", S3Layout.POPULAR_ITEMS_KEY),
                e.duration("fallback_refresh_seconds", Duration.ofSeconds(60), Duration::ofSeconds),
                PopularItems.staticList(staticItems),
                e.get("user_profiles_table"),
                e.get("interactions_table"),
                e.get("items_table"),
                e.get("users_table"),
                e.get("experiments_table"),
                e.get("exposure_stream") == null ? null : new ExposureConfig(e.get("exposure_stream"),
                        e.integer("exposure_queue", 20_000),
                        e.duration("exposure_linger_ms", Duration.ofMillis(50), Duration::ofMillis),
                        e.integer("exposure_attempts", 4),
                        e.duration("exposure_flush_budget_ms", Duration.ofMillis(500), Duration::ofMillis)),
                Cors.parse(e.get("cors_origins")),
                Access.parse(e.get("auth_mode"), e.get("auth_user_claim")),
                e.integer("max_body_bytes", 16 * 1024),
                e.getOr("metrics_namespace", Contract.get().metrics().apiNamespace(LOCAL_DEPLOYMENT)));
    }

    /** One entry of RECSYS_FILTERS: {@code {"<name>": {"arn": "arn:…:filter/…", "expression": "EXCLUDE ItemID WHERE …"}}}. */
    record FilterConfig(@JsonProperty("arn") String arn, @JsonProperty("expression") String expression) {}

    /**
     * One entry of RECSYS_PROMOTIONS: {@code {"name": "house-brands", "filter": "<a filter's name>", "percent": 20,
     * "filter_values": {"BRAND": ["acme"]}, "routes": ["user_recommendations", "recommend"]}}; routes are keys of the
     * contract's api.routes answered by GetRecommendations (default: the two user-recommendation routes).
     */
    record PromotionConfig(@JsonProperty("name") String name, @JsonProperty("filter") String filter,
                           @JsonProperty("percent") Integer percent,
                           @JsonProperty("filter_values") Map<String, List<String>> filterValues,
                           @JsonProperty("routes") List<String> routes) {}

    /** Personalize's promotion name: 1..63 characters. */
    private static final Pattern PROMOTION_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}");
    /** The routes whose model call is GetRecommendations, which takes promotions. */
    private static final List<String> PROMOTABLE_ROUTES = List.of("recommend", "user_recommendations", "similar_items", "trending");
    private static final Contract.Variables ENV_NAMES = Contract.get().environment().apiLambda();

    private static Filters filters(Env e) {
        Map<String, FilterConfig> declared = e.get("filters") == null ? Map.of()
                : e.json("filters", new TypeReference<LinkedHashMap<String, FilterConfig>>() {});
        Map<String, NamedFilter> named = new LinkedHashMap<>();
        declared.forEach((name, f) -> {
            if (!FILTER_NAME.matcher(name).matches() || f == null || f.arn() == null || !PersonalizeArns.isFilter(f.arn())) {
                throw new IllegalArgumentException(e.name("filters") + ": filter " + name
                        + " must map a simple name to {\"arn\": a Personalize filter ARN, \"expression\": its expression}");
            }
            if (f.expression() == null || f.expression().isBlank()) {
                throw new IllegalArgumentException(e.name("filters") + ": filter " + name + " has no expression");
            }
            try {
                named.put(name, new NamedFilter(name, f.arn(), FilterExpression.parse(f.expression())));
            } catch (InvalidFilterExpressionException ex) {
                throw new IllegalArgumentException(e.name("filters") + ": filter " + name + ": " + ex.getMessage(), ex);
            }
        });
        try {
            return new Filters(named, e.get("default_user_filter"));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(e.name("default_user_filter") + ": " + ex.getMessage(), ex);
        }
    }

    private static List<Promotion> promotions(Env e, Filters filters, List<PromotionConfig> configs) {
        List<Promotion> out = new java.util.ArrayList<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (PromotionConfig p : configs) {
            String where = e.name("promotions") + ": promotion " + (p == null ? null : p.name());
            if (p == null || p.name() == null || !PROMOTION_NAME.matcher(p.name()).matches()) {
                throw new IllegalArgumentException(where + ": name must be 1..63 characters of [a-zA-Z0-9_-], starting with a letter or digit");
            }
            if (p.percent() == null || p.percent() < 1 || p.percent() > 100) {
                throw new IllegalArgumentException(where + ": percent must be an integer in 1..100");
            }
            NamedFilter f = p.filter() == null ? null : filters.get(p.filter());
            if (f == null) throw new IllegalArgumentException(where + ": filter must be one of " + filters.all().keySet());
            FilterChoice bound;
            try {
                bound = filters.bindConfigured(f, p.filterValues() == null ? Map.of() : p.filterValues());
            } catch (dev.recsys.api.core.RequestRejected ex) {
                throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
            }
            java.util.Set<String> templates = new java.util.HashSet<>();
            for (String route : p.routes() == null ? List.of("recommend", "user_recommendations") : p.routes()) {
                if (!PROMOTABLE_ROUTES.contains(route)) {
                    throw new IllegalArgumentException(where + ": routes must be among " + PROMOTABLE_ROUTES + ", not " + route);
                }
                if (!taken.add(route)) {
                    throw new IllegalArgumentException(where + ": route " + route + " already has a promotion (Personalize applies one per request)");
                }
                templates.add(Contract.get().api().route(route).template());
            }
            out.add(new Promotion(p.name(), f, bound.values(), bound.personalizeValues(), p.percent(), templates));
        }
        return out;
    }

    /**
     * Typed access to the environment by the contract's keys ({@code environment.api_lambda}: key => variable name), so
     * Terraform and this class agree on every name and a key the contract does not declare fails at once; every
     * parse error names the variable.
     */
    private record Env(Map<String, String> env) {

        private static final Contract.Variables VARIABLES = Contract.get().environment().apiLambda();

        String name(String key) {
            return VARIABLES.name(key);
        }

        String get(String key) {
            String v = VARIABLES.value(env, key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        String getOr(String key, String dflt) {
            String v = get(key);
            return v == null ? dflt : v;
        }

        String required(String key) {
            String v = get(key);
            if (v == null) {
                throw new IllegalArgumentException(name(key) + " is required");
            }
            return v;
        }

        int integer(String key, int dflt) {
            String v = get(key);
            try {
                return v == null ? dflt : Integer.parseInt(v);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name(key) + " must be an integer: " + v);
            }
        }

        Duration duration(String key, Duration dflt, java.util.function.LongFunction<Duration> unit) {
            String v = get(key);
            try {
                return v == null ? dflt : unit.apply(Long.parseLong(v));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name(key) + " must be an integer: " + v);
            }
        }

        <T> T json(String key, TypeReference<T> type) {
            try {
                return Json.MAPPER.readValue(get(key), type);
            } catch (Exception ex) {
                Throwable root = ex;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                throw new IllegalArgumentException(name(key) + ": " + root.getMessage(), ex);
            }
        }
    }
}
