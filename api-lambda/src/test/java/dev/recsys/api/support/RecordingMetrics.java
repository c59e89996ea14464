package dev.recsys.api.support;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

/**
 * A Powertools metrics provider that keeps each flushed document (namespace, dimensions, metrics, metadata) for
 * assertions, so the request facts → metrics mapping is tested without parsing log output. The EMF JSON itself is
 * tested once, through the real provider (RequestMetricsEmfTest).
 */
public final class RecordingMetrics implements MetricsProvider {

    public record Document(String namespace, Map<String, String> dimensions, Map<String, Double> metrics,
                           Map<String, Object> metadata) {
        public double metric(String name) {
            Double v = metrics.get(name);
            if (v == null) throw new AssertionError("no metric " + name + " in " + this);
            return v;
        }
    }

    public final List<Document> flushed = new CopyOnWriteArrayList<>();

    @Override
    public Metrics getMetricsInstance() {
        return new Recorder();
    }

    /** The documents with this dimension, oldest first. */
    public List<Document> by(String dimension) {
        return flushed.stream().filter(d -> d.dimensions().containsKey(dimension)).toList();
    }

    /** The newest document with this dimension. */
    public Document last(String dimension) {
        List<Document> all = by(dimension);
        if (all.isEmpty()) throw new AssertionError("no document by " + dimension + " in " + flushed);
        return all.get(all.size() - 1);
    }

    private final class Recorder implements Metrics {
        private String namespace;
        private final Map<String, String> dimensions = new LinkedHashMap<>();
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, Object> metadata = new LinkedHashMap<>();

        @Override
        public void addMetric(String name, double value, MetricUnit unit, MetricResolution resolution) {
            metrics.put(name, value);
        }

        @Override
        public void addDimension(DimensionSet set) {
            dimensions.putAll(set.getDimensions());
        }

        @Override
        public void setTimestamp(Instant timestamp) {
        }

        @Override
        public void addMetadata(String key, Object value) {
            metadata.put(key, value);
        }

        @Override
        public void setDefaultDimensions(DimensionSet set) {
            dimensions.putAll(set.getDimensions());
        }

        @Override
        public DimensionSet getDefaultDimensions() {
            return new DimensionSet();
        }

        @Override
        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        @Override
        public void setRaiseOnEmptyMetrics(boolean raise) {
        }

        @Override
        public void clearDefaultDimensions() {
        }

        @Override
        public void flush() {
            flushed.add(new Document(namespace, Map.copyOf(dimensions), Map.copyOf(metrics), Map.copyOf(metadata)));
        }

        @Override
        public void captureColdStartMetric(Context context, DimensionSet dimensions) {
        }

        @Override
        public void captureColdStartMetric(DimensionSet dimensions) {
        }

        @Override
        public void flushMetrics(Consumer<Metrics> metricsFunction) {
            Recorder single = new Recorder();
            metricsFunction.accept(single);
            single.flush();
        }
    }
}
