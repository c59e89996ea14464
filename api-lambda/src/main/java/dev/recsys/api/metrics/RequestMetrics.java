package dev.recsys.api.metrics;

import dev.recsys.api.core.Answer;
import dev.recsys.api.core.CacheOutcome;
import dev.recsys.api.core.RequestLog;
import dev.recsys.api.core.Served;
import dev.recsys.api.json.LogSink;
import dev.recsys.api.metrics.EmfDocument.Unit;
import dev.recsys.common.contract.Contract;
import java.util.Map;

/**
 * One EMF line per request: latency by route, cache hit/miss/error, fallback by cause, variant
 * exposure, dropped exposures and the breaker state seen. All of it is read from the finished
 * request's facts, here and nowhere else.
 */
public final class RequestMetrics implements RequestLog {

    private final String namespace;
    private final LogSink log;

    /** A contract name: Terraform alarms on it per route. */
    private static final String EXPOSURE_DROPPED = Contract.get().metrics().exposureDropped();

    public RequestMetrics(String namespace, LogSink log) {
        this.namespace = namespace;
        this.log = log;
    }

    @Override
    public void finished(String route, int status, double latencyMillis, String requestId, Served served) {
        try {
            log.line(toEmf(System.currentTimeMillis(), route, status, latencyMillis, requestId, served).toJson());
        } catch (RuntimeException e) {
            // metrics must never change an answer
        }
    }

    EmfDocument toEmf(long nowMillis, String route, int status, double latencyMillis, String requestId, Served served) {
        Map<String, String> byRoute = Map.of("Route", route);
        EmfDocument doc = new EmfDocument(namespace, nowMillis)
                .metric("Latency", latencyMillis, Unit.Milliseconds, byRoute)
                .metric("Requests", 1, Unit.Count, byRoute)
                .metric("ClientErrors", status >= 400 && status < 500 ? 1 : 0, Unit.Count, byRoute)
                .property("request_id", requestId)
                .property("status", status);
        if (served == null) {
            return doc;
        }
        CacheOutcome cache = served.cache();
        if (cache != CacheOutcome.BYPASS) {
            doc.metric("CacheHit", cache == CacheOutcome.HIT ? 1 : 0, Unit.Count, byRoute)
               .metric("CacheMiss", cache == CacheOutcome.MISS ? 1 : 0, Unit.Count, byRoute)
               .metric("CacheError", cache == CacheOutcome.ERROR ? 1 : 0, Unit.Count, byRoute);
        }
        Answer answer = served.answer();
        if (answer.isFallback()) {
            doc.metric("Fallback", 1, Unit.Count, Map.of("FallbackCause", answer.fallbackReason().wireName()));
        }
        if (answer.variant() != null) {
            doc.metric("VariantExposure", 1, Unit.Count, Map.of("Variant", answer.variant()));
        }
        doc.metric(EXPOSURE_DROPPED, served.exposureRecorded() ? 0 : 1, Unit.Count, byRoute);
        if (served.breakerState() != null) {
            doc.metric("BreakerOpen", "CLOSED".equals(served.breakerState()) ? 0 : 1, Unit.None, Map.of("Breaker", "personalize"))
               .property("breaker_state", served.breakerState());
        }
        return doc;
    }
}
