package dev.recsys.personalize.engine;

import dev.recsys.personalize.engine.config.EngineConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the engine standalone until Ctrl-C. Settings come from system properties:
 * {@code personalize.stateDir} (default ./personalize-state), {@code personalize.port} (0),
 * {@code personalize.s3Endpoint}, {@code personalize.bucket} (required), {@code personalize.accessKey},
 * {@code personalize.secretKey}, {@code personalize.stepDelayMillis} (1000). Prints the endpoint.
 */
public final class EngineMain {

    private EngineMain() {}

    public static void main(String[] args) throws InterruptedException {
        String bucket = System.getProperty("personalize.bucket");
        if (bucket == null || bucket.isBlank()) {
            System.err.println("set -Dpersonalize.bucket=<bucket for models/> (and -Dpersonalize.s3Endpoint=... offline)");
            System.exit(2);
        }
        String s3 = System.getProperty("personalize.s3Endpoint");
        EngineConfig config = EngineConfig.local(Path.of(System.getProperty("personalize.stateDir", "personalize-state")),
                        s3 == null ? null : URI.create(s3), System.getProperty("personalize.accessKey"),
                        System.getProperty("personalize.secretKey"), bucket)
                .withPort(Integer.getInteger("personalize.port", 0))
                .withStepDelay(Duration.ofMillis(Long.getLong("personalize.stepDelayMillis", 1000)));
        PersonalizeEngine engine = PersonalizeEngine.start(config);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            stop.countDown();
        }, "personalize-engine-shutdown"));
        System.out.println("personalize engine listening on " + engine.endpoint());
        stop.await();
    }
}
