package dev.recsys.api.config;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.recsys.api.ab.PersonalizeArns;
import dev.recsys.api.ab.Variant;
import dev.recsys.api.ab.VariantAssigner;
import dev.recsys.api.cache.CacheConfig;
import dev.recsys.api.fallback.PopularItems;
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
 * variables named {@code RECSYS_*} (see {@link #fromEnvironment}).
 *
 * @param cache              null: no Redis
 * @param fallbackBucket     null: only the static list
 * @param userProfilesTable  null: no cold-start detection (the model answers every user)
 * @param interactionsTable  null: every item counts as known to the related-items model
 * @param experimentsTable   null: {@code GET /experiments} answers 404
 * @param exposures          null: answers are not recorded as exposures
 */
public record ApiConfig(String experiment, List<Variant> variants, String similarCampaignArn, String rankingCampaignArn,
                        Map<String, String> filters, CacheConfig cache, ResilienceConfig resilience,
                        String fallbackBucket, String fallbackKey, Duration fallbackRefresh, PopularItems staticFallback,
                        String userProfilesTable, String interactionsTable, String experimentsTable,
                        ExposureConfig exposures, Cors cors,
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
        filters = Map.copyOf(filters);
        if (similarCampaignArn != null && !PersonalizeArns.isCampaign(similarCampaignArn)) {
            throw new IllegalArgumentException("similar campaign is not a Personalize campaign ARN: " + similarCampaignArn);
        }
        if (rankingCampaignArn != null && !PersonalizeArns.isCampaign(rankingCampaignArn)) {
            throw new IllegalArgumentException("ranking campaign is not a Personalize campaign ARN: " + rankingCampaignArn);
        }
        filters.forEach((name, arn) -> {
            if (!FILTER_NAME.matcher(name).matches() || !PersonalizeArns.isFilter(arn)) {
                throw new IllegalArgumentException("filter " + name + " must map a simple name to a Personalize filter ARN: " + arn);
            }
        });
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
        if (e.get("RECSYS_VARIANTS") != null) {
            variants = e.json("RECSYS_VARIANTS", new TypeReference<List<Variant>>() {});
        } else {
            variants = List.of(new Variant("default", e.required("RECSYS_CAMPAIGN_ARN"), 100));
        }
        Map<String, String> filters = e.get("RECSYS_FILTERS") == null ? Map.of()
                : e.json("RECSYS_FILTERS", new TypeReference<LinkedHashMap<String, String>>() {});
        CacheConfig cache = null;
        if (e.get("RECSYS_REDIS_URL") != null) {
            CacheConfig d = CacheConfig.defaults(e.get("RECSYS_REDIS_URL"));
            cache = new CacheConfig(d.redisUrl(), e.get("RECSYS_REDIS_AUTH_TOKEN"),
                    e.duration("RECSYS_CACHE_TTL_SECONDS", d.ttl(), Duration::ofSeconds),
                    e.duration("RECSYS_REDIS_TIMEOUT_MS", d.commandTimeout(), Duration::ofMillis),
                    e.duration("RECSYS_REDIS_CONNECT_TIMEOUT_MS", d.connectTimeout(), Duration::ofMillis),
                    d.fillLockTtl(), e.duration("RECSYS_CACHE_FILL_WAIT_MS", d.fillWait(), Duration::ofMillis),
                    d.reconnectBackoff());
        }
        ResilienceConfig r = ResilienceConfig.defaults();
        ResilienceConfig resilience = new ResilienceConfig(
                e.duration("RECSYS_PERSONALIZE_TIMEOUT_MS", r.timeout(), Duration::ofMillis),
                e.integer("RECSYS_BULKHEAD_MAX_CONCURRENT", r.maxConcurrentCalls()),
                e.integer("RECSYS_BREAKER_WINDOW", r.breakerWindow()),
                e.integer("RECSYS_BREAKER_MIN_CALLS", r.breakerMinCalls()),
                e.integer("RECSYS_BREAKER_FAILURE_RATE", Math.round(r.failureRatePercent())),
                e.duration("RECSYS_BREAKER_OPEN_MS", r.openDuration(), Duration::ofMillis),
                e.integer("RECSYS_BREAKER_HALF_OPEN_CALLS", r.halfOpenCalls()));
        List<String> staticItems = Arrays.stream(e.required("RECSYS_FALLBACK_STATIC_ITEMS").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String id : staticItems) {
            if (!EventLimits.isValidId(id)) {
                throw new IllegalArgumentException("RECSYS_FALLBACK_STATIC_ITEMS: invalid item id " + id);
            }
        }
        return new ApiConfig(
                e.getOr("RECSYS_EXPERIMENT", "recs-ab-1"), variants,
                e.get("RECSYS_SIMILAR_CAMPAIGN_ARN"), e.get("RECSYS_RANKING_CAMPAIGN_ARN"), filters, cache, resilience,
                e.get("RECSYS_FALLBACK_BUCKET"), e.getOr("RECSYS_FALLBACK_KEY", S3Layout.POPULAR_ITEMS_KEY),
                e.duration("RECSYS_FALLBACK_REFRESH_SECONDS", Duration.ofSeconds(60), Duration::ofSeconds),
                PopularItems.staticList(staticItems),
                e.get("RECSYS_USER_PROFILES_TABLE"),
                e.get("RECSYS_INTERACTIONS_TABLE"),
                e.get("RECSYS_EXPERIMENTS_TABLE"),
                e.get("RECSYS_EXPOSURE_STREAM") == null ? null : new ExposureConfig(e.get("RECSYS_EXPOSURE_STREAM"),
                        e.integer("RECSYS_EXPOSURE_QUEUE", 20_000),
                        e.duration("RECSYS_EXPOSURE_LINGER_MS", Duration.ofMillis(50), Duration::ofMillis),
                        e.integer("RECSYS_EXPOSURE_ATTEMPTS", 4),
                        e.duration("RECSYS_EXPOSURE_FLUSH_BUDGET_MS", Duration.ofMillis(500), Duration::ofMillis)),
                Cors.parse(e.get("RECSYS_CORS_ORIGINS")),
                e.integer("RECSYS_MAX_BODY_BYTES", 16 * 1024),
                e.getOr("RECSYS_METRICS_NAMESPACE", Contract.get().metrics().apiNamespace(LOCAL_DEPLOYMENT)));
    }

    /** Typed access to the environment; every parse error names the variable. */
    private record Env(Map<String, String> env) {

        String get(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        String getOr(String name, String dflt) {
            String v = get(name);
            return v == null ? dflt : v;
        }

        String required(String name) {
            String v = get(name);
            if (v == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            return v;
        }

        int integer(String name, int dflt) {
            String v = get(name);
            try {
                return v == null ? dflt : Integer.parseInt(v);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + " must be an integer: " + v);
            }
        }

        Duration duration(String name, Duration dflt, java.util.function.LongFunction<Duration> unit) {
            String v = get(name);
            try {
                return v == null ? dflt : unit.apply(Long.parseLong(v));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(name + " must be an integer: " + v);
            }
        }

        <T> T json(String name, TypeReference<T> type) {
            try {
                return Json.MAPPER.readValue(get(name), type);
            } catch (Exception ex) {
                Throwable root = ex;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                throw new IllegalArgumentException(name + ": " + root.getMessage(), ex);
            }
        }
    }
}
