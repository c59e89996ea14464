package dev.recsys.api.metrics;

import dev.recsys.api.core.Answer;
import dev.recsys.api.core.CacheOutcome;
import dev.recsys.api.core.RequestLog;
import dev.recsys.api.core.Served;
import dev.recsys.common.contract.Contract;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

/**
 * A finished request's metrics through Powertools for AWS Lambda (its EMF logger: stdout on Lambda, which
 * CloudWatch turns into metrics). One document per dimension set, because EMF applies every metric of a
 * document to each of its dimension sets: by {@code Route} latency, requests, client errors, cache hit/miss/error,
 * dropped exposures and whether the model's breaker was open (request id, status and breaker state as searchable
 * metadata); by {@code FallbackCause} a fallback; by {@code Variant} an exposure. So a request writes one to three
 * documents (each costs ~6 µs of CPU here: the library's price over the one hand-built line it replaced). All of it
 * is read from the finished request's facts, here and nowhere else.
 *
 * <p>Each document gets its own {@link Metrics} from the provider, not the Powertools singleton: that one is
 * scoped by the Lambda trace id, and the local adapter serves many requests at once in one JVM. Default
 * dimensions (log group, service) are cleared so that every metric keeps the dimensions the alarms name.
 */
public final class RequestMetrics implements RequestLog {

    /** Contract names: Terraform alarms on ExposureDropped per route, by this dimension. */
    private static final String EXPOSURE_DROPPED = Contract.get().metrics().exposureDropped();
    private static final String ROUTE = Contract.get().metrics().apiRouteDimension();

    private final String namespace;
    private final MetricsProvider metrics;

    public RequestMetrics(String namespace, MetricsProvider metrics) {
        this.namespace = namespace;
        this.metrics = metrics;
    }

    /** Powertools' EMF logger; where documents go follows aws-embedded-metrics' environment (stdout on Lambda). */
    public static RequestMetrics emf(String namespace) {
        return new RequestMetrics(namespace, new EmfMetricsProvider());
    }

    @Override
    public void finished(String route, int status, double latencyMillis, String requestId, Served served) {
        try {
            emit(route, status, latencyMillis, requestId, served);
        } catch (RuntimeException e) {
            // metrics must never change an answer
        }
    }

    /**
     * Serialises one document without sending it: the first request's report otherwise pays for loading the EMF
     * library (~60 ms in the cold-start probe).
     */
    @Override
    public void warm() {
        try {
            MetricsContext context = new MetricsContext();
            context.setNamespace(namespace);
            context.putDimension(software.amazon.cloudwatchlogs.emf.model.DimensionSet.of(ROUTE, "warm-up"));
            context.putMetric("Latency", 1, Unit.MILLISECONDS);
            context.putProperty("request_id", "warm-up");
            context.serialize();
            metrics.getMetricsInstance().addMetric("Requests", 0, MetricUnit.COUNT); // never flushed
        } catch (Exception e) {
            // warming only
        }
    }

    private void emit(String route, int status, double latencyMillis, String requestId, Served served) {
        Metrics byRoute = document(ROUTE, route);
        byRoute.addMetric("Latency", latencyMillis, MetricUnit.MILLISECONDS);
        byRoute.addMetric("Requests", 1, MetricUnit.COUNT);
        byRoute.addMetric("ClientErrors", status >= 400 && status < 500 ? 1 : 0, MetricUnit.COUNT);
        if (requestId != null) byRoute.addMetadata("request_id", requestId);
        byRoute.addMetadata("status", status);
        if (served == null) {
            byRoute.flush();
            return;
        }
        CacheOutcome cache = served.cache();
        if (cache != CacheOutcome.BYPASS) {
            byRoute.addMetric("CacheHit", cache == CacheOutcome.HIT ? 1 : 0, MetricUnit.COUNT);
            byRoute.addMetric("CacheMiss", cache == CacheOutcome.MISS ? 1 : 0, MetricUnit.COUNT);
            byRoute.addMetric("CacheError", cache == CacheOutcome.ERROR ? 1 : 0, MetricUnit.COUNT);
        }
        byRoute.addMetric(EXPOSURE_DROPPED, served.exposureRecorded() ? 0 : 1, MetricUnit.COUNT);
        if (served.breakerState() != null) {
            byRoute.addMetric("BreakerOpen", "CLOSED".equals(served.breakerState()) ? 0 : 1, MetricUnit.NONE);
            byRoute.addMetadata("breaker_state", served.breakerState());
        }
        byRoute.flush();

        Answer answer = served.answer();
        if (answer.isFallback()) single("FallbackCause", answer.fallbackReason().wireName(), "Fallback", 1, MetricUnit.COUNT);
        if (answer.variant() != null) single("Variant", answer.variant(), "VariantExposure", 1, MetricUnit.COUNT);
    }

    private Metrics document(String dimension, String value) {
        Metrics m = metrics.getMetricsInstance();
        m.setNamespace(namespace);
        m.clearDefaultDimensions();
        m.addDimension(DimensionSet.of(dimension, value));
        return m;
    }

    private void single(String dimension, String value, String metric, double amount, MetricUnit unit) {
        Metrics m = document(dimension, value);
        m.addMetric(metric, amount, unit);
        m.flush();
    }
}
