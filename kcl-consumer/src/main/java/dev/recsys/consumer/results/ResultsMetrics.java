package dev.recsys.consumer.results;

import dev.recsys.common.contract.Contract;
import dev.recsys.common.experiment.ArmResult;
import dev.recsys.common.experiment.Verdict;
import java.util.function.Supplier;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * The results as CloudWatch metrics per arm, in the Embedded Metric Format (the aws-embedded-metrics
 * library): on ECS the task's stdout goes to CloudWatch Logs, which turns each document into metrics
 * ({@link #toStdout} keeps the library from probing for a CloudWatch agent or EC2 metadata).
 */
public final class ResultsMetrics {

    /** A contract name: Terraform's dashboard reads it. */
    public static final String NAMESPACE = Contract.get().metrics().experimentsNamespace();

    /**
     * Documents go to stdout unless {@code AWS_EMF_ENVIRONMENT} says otherwise: the task's log driver ships
     * stdout to CloudWatch Logs, and offline they are lines in the consumer's log.
     */
    public static ResultsMetrics toStdout() {
        if (System.getenv("AWS_EMF_ENVIRONMENT") == null) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
        return new ResultsMetrics(MetricsLogger::new);
    }

    private final Supplier<MetricsLogger> loggers;

    public ResultsMetrics(Supplier<MetricsLogger> loggers) {
        this.loggers = loggers;
    }

    void emit(ArmResult r) {
        try {
            MetricsLogger m = loggers.get();
            m.setNamespace(NAMESPACE);
            m.setDimensions(DimensionSet.of("Experiment", r.experiment(), "Route", r.route(), "Variant", r.variant()));
            m.putMetric("Users", r.totals().users(), Unit.COUNT);
            m.putMetric("Exposures", r.totals().exposures(), Unit.COUNT);
            m.putMetric("Clicks", r.totals().clicks(), Unit.COUNT);
            m.putMetric("Conversions", r.totals().conversions(), Unit.COUNT);
            m.putMetric("Ctr", r.ctr().estimate(), Unit.NONE);
            m.putMetric("ConversionRate", r.conversionRate().estimate(), Unit.NONE);
            Verdict ctr = r.ctrVerdict();
            if (ctr != null) {
                m.putMetric("CtrPValue", ctr.comparison().runningPValue(), Unit.NONE);
                m.putMetric("CtrLift", ctr.comparison().relativeLift(), Unit.NONE);
                m.putMetric("Winner", ctr.winner() == Verdict.Winner.TREATMENT ? 1 : 0, Unit.NONE);
            }
            m.flush();
        } catch (RuntimeException e) {
            // metrics never stop the results from being stored
        }
    }
}
