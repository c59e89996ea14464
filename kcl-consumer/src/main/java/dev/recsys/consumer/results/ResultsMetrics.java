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

    /** Contract names (metrics.experiments_namespace and .experiment_results): Terraform's dashboard charts them. */
    public static final String NAMESPACE = Contract.get().metrics().experimentsNamespace();
    private static final Contract.ResultDimensions DIMENSIONS = Contract.get().metrics().experimentResults().dimensions();
    private static final Contract.ResultCounts COUNTS = Contract.get().metrics().experimentResults().counts();
    private static final Contract.ResultRatios RATIOS = Contract.get().metrics().experimentResults().ratios();

    /**
     * Documents go to stdout unless {@code AWS_EMF_ENVIRONMENT} (the library's own switch, which the task sets: the
     * contract's environment.kcl_consumer.emf_environment) says otherwise: the task's log driver ships stdout to
     * CloudWatch Logs, and offline they are lines in the consumer's log.
     */
    public static ResultsMetrics toStdout() {
        if (System.getenv(Contract.get().environment().kclConsumer().name("emf_environment")) == null) {
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
            m.setDimensions(DimensionSet.of(DIMENSIONS.experiment(), r.experiment(), DIMENSIONS.route(), r.route(),
                    DIMENSIONS.variant(), r.variant()));
            m.putMetric(COUNTS.users(), r.totals().users(), Unit.COUNT);
            m.putMetric(COUNTS.exposures(), r.totals().exposures(), Unit.COUNT);
            m.putMetric(COUNTS.clicks(), r.totals().clicks(), Unit.COUNT);
            m.putMetric(COUNTS.conversions(), r.totals().conversions(), Unit.COUNT);
            m.putMetric(RATIOS.ctr(), r.ctr().estimate(), Unit.NONE);
            m.putMetric(RATIOS.conversionRate(), r.conversionRate().estimate(), Unit.NONE);
            Verdict ctr = r.ctrVerdict();
            if (ctr != null) {
                m.putMetric(RATIOS.ctrPValue(), ctr.comparison().runningPValue(), Unit.NONE);
                m.putMetric(RATIOS.ctrLift(), ctr.comparison().relativeLift(), Unit.NONE);
                m.putMetric(RATIOS.winner(), ctr.winner() == Verdict.Winner.TREATMENT ? 1 : 0, Unit.NONE);
            }
            m.flush();
        } catch (RuntimeException e) {
            // metrics never stop the results from being stored
        }
    }
}
