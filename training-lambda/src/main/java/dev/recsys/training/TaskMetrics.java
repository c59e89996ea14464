package dev.recsys.training;

import dev.recsys.common.contract.Contract;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

/**
 * One EMF document per finished task through Powertools for AWS Lambda (stdout on Lambda, which CloudWatch turns
 * into metrics), by {@code Action}: {@code TaskDuration}, {@code TaskErrors} (0 or 1, so its average is the error
 * rate; the names are the contract's {@code metrics.training_tasks}, which the dashboard charts), with the run, the state machine's error type and the duration as searchable metadata.
 * Each document gets its own {@link Metrics} from the provider (the offline loop runs Map states in parallel in one JVM).
 */
public final class TaskMetrics {

    private static final Contract.TrainingTasks NAMES = Contract.get().metrics().trainingTasks();

    private final String namespace;
    private final MetricsProvider metrics;

    public TaskMetrics(String namespace, MetricsProvider metrics) {
        this.namespace = namespace;
        this.metrics = metrics;
    }

    /** Powertools' EMF logger; where documents go follows aws-embedded-metrics' environment (stdout on Lambda). */
    public static TaskMetrics emf(String namespace) {
        return new TaskMetrics(namespace, new EmfMetricsProvider());
    }

    /** @param errorType the exception class the state machine's Retry/Catch match; null on success */
    public void finished(String action, String runId, double millis, String errorType) {
        try {
            Metrics m = metrics.getMetricsInstance();
            m.setNamespace(namespace);
            m.clearDefaultDimensions();
            m.addDimension(DimensionSet.of(NAMES.actionDimension(), action));
            m.addMetric(NAMES.duration(), millis, MetricUnit.MILLISECONDS);
            m.addMetric(NAMES.errors(), errorType == null ? 0 : 1, MetricUnit.COUNT);
            if (runId != null) m.addMetadata("run_id", runId);
            if (errorType != null) m.addMetadata("error_type", errorType);
            m.flush();
        } catch (RuntimeException e) {
            // metrics must never fail a task
        }
    }
}
