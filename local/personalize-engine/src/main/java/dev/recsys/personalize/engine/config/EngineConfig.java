package dev.recsys.personalize.engine.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the engine.
 *
 * @param host             interface to bind (loopback unless you mean it)
 * @param port             0 picks a free port
 * @param stateDir         resources (state.json), dataset snapshots and real-time events
 * @param s3Endpoint       S3 endpoint override (null: the SDK default, i.e. real S3)
 * @param modelBucket      bucket for {@code models/<solution-version-id>/model.bin}
 * @param stepDelay        time spent in each of PENDING and IN_PROGRESS before work moves on, so
 *                         callers' wait loops really wait; short in tests
 * @param trainingThreads  cores a training may use
 * @param minInteractions  Personalize's minimum interactions per import / training
 * @param minUsers         Personalize's minimum distinct users
 */
public record EngineConfig(String host, int port, Path stateDir, URI s3Endpoint, String region, String accountId,
                           String accessKey, String secretKey, String modelBucket, Duration stepDelay,
                           int trainingThreads, int httpThreads, int minInteractions, int minUsers,
                           double evaluationUserFraction, double evaluationRecentFraction) {

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT = "000000000000";

    public EngineConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(modelBucket, "modelBucket");
        Objects.requireNonNull(stepDelay, "stepDelay");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be in [0, 65535]");
        if (trainingThreads < 1 || httpThreads < 1) throw new IllegalArgumentException("thread counts must be >= 1");
        if (minInteractions < 1 || minUsers < 1) throw new IllegalArgumentException("minimums must be >= 1");
        if (!(evaluationUserFraction > 0 && evaluationUserFraction < 1)
                || !(evaluationRecentFraction > 0 && evaluationRecentFraction < 1)) {
            throw new IllegalArgumentException("evaluation fractions must be in (0, 1)");
        }
    }

    /** Loopback, free port, Personalize's minimums, 1 s lifecycle steps, every core for training. */
    public static EngineConfig local(Path stateDir, URI s3Endpoint, String accessKey, String secretKey, String modelBucket) {
        return new EngineConfig("127.0.0.1", 0, stateDir, s3Endpoint, DEFAULT_REGION, DEFAULT_ACCOUNT, accessKey, secretKey,
                modelBucket, Duration.ofSeconds(1), Runtime.getRuntime().availableProcessors(), 16, 1_000, 25, 0.1, 0.1);
    }

    public EngineConfig withPort(int p) {
        return new EngineConfig(host, p, stateDir, s3Endpoint, region, accountId, accessKey, secretKey, modelBucket,
                stepDelay, trainingThreads, httpThreads, minInteractions, minUsers, evaluationUserFraction, evaluationRecentFraction);
    }

    public EngineConfig withStepDelay(Duration d) {
        return new EngineConfig(host, port, stateDir, s3Endpoint, region, accountId, accessKey, secretKey, modelBucket,
                d, trainingThreads, httpThreads, minInteractions, minUsers, evaluationUserFraction, evaluationRecentFraction);
    }
}
