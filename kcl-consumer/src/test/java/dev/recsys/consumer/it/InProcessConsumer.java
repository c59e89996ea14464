package dev.recsys.consumer.it;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import dev.recsys.consumer.ConsumerApplication;
import dev.recsys.consumer.config.ConsumerConfiguration;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import org.eclipse.jetty.server.Server;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** The real Dropwizard application, run inside the test JVM so faults can be injected into its clients. */
final class InProcessConsumer implements AutoCloseable {

    private final App app;

    private InProcessConsumer(App app) {
        this.app = app;
    }

    static InProcessConsumer start(Path config, List<ExecutionInterceptor> dataInterceptors) throws Exception {
        App app = new App(dataInterceptors);
        app.run("server", config.toString());
        if (app.server == null) throw new IllegalStateException("consumer did not start");
        return new InProcessConsumer(app);
    }

    MetricRegistry metrics() {
        return app.environment.metrics();
    }

    SortedMap<String, HealthCheck.Result> health() {
        return app.environment.healthChecks().runHealthChecks();
    }

    /** Graceful stop, as on SIGTERM: flush, checkpoint, release leases. */
    @Override
    public void close() throws Exception {
        app.server.stop();
    }

    private static final class App extends ConsumerApplication {
        volatile Server server;
        volatile Environment environment;

        App(List<ExecutionInterceptor> interceptors) {
            super(interceptors);
        }

        @Override
        public void run(ConsumerConfiguration config, Environment env) {
            super.run(config, env);
            this.environment = env;
            env.lifecycle().addServerLifecycleListener(s -> this.server = s);
        }

        @Override
        protected void onFatalError(Throwable t) {
            throw new IllegalStateException("consumer failed to start", t);
        }
    }
}
