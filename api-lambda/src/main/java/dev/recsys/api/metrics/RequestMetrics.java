package dev.recsys.api.metrics;

import dev.recsys.api.core.FallbackReason;
import dev.recsys.api.metrics.EmfDocument.Unit;
import dev.recsys.common.contract.Contract;
import java.util.Map;

/**
 * What one request contributes to the metrics: latency by route, cache hit/miss/error, fallback by
 * cause, variant exposure and the breaker state seen. Filled in as the request runs, emitted once.
 */
public final class RequestMetrics {

    public enum CacheOutcome { HIT, MISS, ERROR, BYPASS }

    /** A contract name: Terraform alarms on it per route. */
    private static final String EXPOSURE_DROPPED = Contract.get().metrics().exposureDropped();

    private final String route;
    private CacheOutcome cache = CacheOutcome.BYPASS;
    private FallbackReason fallback;
    private String variant;
    private String breakerState;
    private Boolean exposureRecorded;

    public RequestMetrics(String route) {
        this.route = route;
    }

    public void cache(CacheOutcome outcome) {
        this.cache = outcome;
    }

    public void fallback(FallbackReason reason) {
        this.fallback = reason;
    }

    public void variant(String name) {
        this.variant = name;
    }

    public void breakerState(String state) {
        this.breakerState = state;
    }

    /** @param recorded false when the answer's exposure was dropped (the exposure queue was full) */
    public void exposure(boolean recorded) {
        this.exposureRecorded = recorded;
    }

    public String route() {
        return route;
    }

    public CacheOutcome cacheOutcome() {
        return cache;
    }

    public EmfDocument toEmf(String namespace, long nowMillis, double latencyMillis, int status, String requestId) {
        Map<String, String> byRoute = Map.of("Route", route);
        EmfDocument doc = new EmfDocument(namespace, nowMillis)
                .metric("Latency", latencyMillis, Unit.Milliseconds, byRoute)
                .metric("Requests", 1, Unit.Count, byRoute)
                .metric("ClientErrors", status >= 400 && status < 500 ? 1 : 0, Unit.Count, byRoute)
                .property("request_id", requestId)
                .property("status", status);
        if (cache != CacheOutcome.BYPASS) {
            doc.metric("CacheHit", cache == CacheOutcome.HIT ? 1 : 0, Unit.Count, byRoute)
               .metric("CacheMiss", cache == CacheOutcome.MISS ? 1 : 0, Unit.Count, byRoute)
               .metric("CacheError", cache == CacheOutcome.ERROR ? 1 : 0, Unit.Count, byRoute);
        }
        if (fallback != null) {
            doc.metric("Fallback", 1, Unit.Count, Map.of("FallbackCause", fallback.wireName()));
        }
        if (variant != null) {
            doc.metric("VariantExposure", 1, Unit.Count, Map.of("Variant", variant));
        }
        if (exposureRecorded != null) {
            doc.metric(EXPOSURE_DROPPED, exposureRecorded ? 0 : 1, Unit.Count, byRoute);
        }
        if (breakerState != null) {
            doc.metric("BreakerOpen", "CLOSED".equals(breakerState) ? 0 : 1, Unit.None, Map.of("Breaker", "personalize"))
               .property("breaker_state", breakerState);
        }
        return doc;
    }
}
