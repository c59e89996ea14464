package dev.recsys.local.stack.metrics;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

/**
 * Where EMF documents go offline. The same Powertools / aws-embedded-metrics code as on Lambda builds and
 * serialises every document; only the last step differs: on Lambda the library prints each one to stdout, here it
 * hands it to a consumer (a log file, a test, nowhere). Synchronous: no port, no background thread, no JVM-wide
 * setting (the library's agent sink keeps a non-daemon thread that stops a benchmark's JVM from exiting, and its
 * environment detection probes EC2 metadata).
 *
 * <p>Built on Powertools' {@code EmfMetricsLogger}, which is public but in its {@code internal} package: its public
 * provider always detects the environment itself. Only this offline stand-in depends on it, never product code.
 */
public final class EmfStandIn {

    private EmfStandIn() {}

    /** A Powertools metrics provider whose documents, one JSON object each, go to {@code lines}. */
    public static MetricsProvider provider(Consumer<String> lines) {
        EnvironmentProvider environment = new Fixed(new LinesEnvironment(lines));
        return () -> new EmfMetricsLogger(environment, new MetricsContext());
    }

    /**
     * The same destination for aws-embedded-metrics' own {@code MetricsLogger} ({@code new MetricsLogger(environment)}),
     * which the consumer uses off Lambda.
     */
    public static Environment environment(Consumer<String> lines) {
        return new LinesEnvironment(lines);
    }

    /** Serialises every document as on Lambda, then drops it: the real cost, no output. */
    public static MetricsProvider discarding() {
        return provider(line -> { });
    }

    private static final class Fixed extends EnvironmentProvider {
        private final CompletableFuture<Environment> environment;

        Fixed(Environment environment) {
            this.environment = CompletableFuture.completedFuture(environment);
        }

        @Override
        public CompletableFuture<Environment> resolveEnvironment() {
            return environment;
        }

        @Override
        public Environment getDefaultEnvironment() {
            return environment.join();
        }
    }

    private record LinesEnvironment(Consumer<String> lines) implements Environment, ISink {
        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "recsys-local";
        }

        @Override
        public String getType() {
            return "Local";
        }

        @Override
        public String getLogGroupName() {
            return "recsys-local-metrics";
        }

        @Override
        public void configureContext(MetricsContext context) {
            // no default dimensions: as on Lambda after Powertools clears them
        }

        @Override
        public ISink getSink() {
            return this;
        }

        @Override
        public void accept(MetricsContext context) {
            try {
                for (String document : context.serialize()) lines.accept(document);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("EMF document not serialisable", e);
            }
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
