package dev.recsys.personalize.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.personalize.engine.api.HttpFront;
import dev.recsys.personalize.engine.config.EngineConfig;
import dev.recsys.personalize.engine.control.ControlPlane;
import dev.recsys.personalize.engine.runtime.LiveHistory;
import dev.recsys.personalize.engine.runtime.RuntimeService;
import dev.recsys.personalize.engine.runtime.TrackedEvents;
import dev.recsys.personalize.engine.storage.ModelRepository;
import dev.recsys.personalize.engine.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A Personalize-compatible service on one local HTTP endpoint. Point the unchanged SDK v2 clients
 * {@code PersonalizeClient}, {@code PersonalizeRuntimeClient} and {@code PersonalizeEventsClient} at
 * {@link #endpoint()} with {@code endpointOverride}; any credentials and region work.
 */
public final class PersonalizeEngine implements AutoCloseable {

    /** Loaded models kept in memory; more are reloaded from S3 on demand. */
    static final int CACHED_MODELS = 8;

    private final ObjectStore store;
    private final ControlPlane control;
    private final LiveHistory live;
    private final TrackedEvents tracked;
    private final HttpFront front;

    private PersonalizeEngine(ObjectStore store, ControlPlane control, LiveHistory live, TrackedEvents tracked, HttpFront front) {
        this.store = store;
        this.control = control;
        this.live = live;
        this.tracked = tracked;
        this.front = front;
    }

    /** Loads saved state from {@code config.stateDir()} and starts serving. */
    public static PersonalizeEngine start(EngineConfig config) {
        ObjectMapper json = new ObjectMapper();
        ObjectStore store = new ObjectStore(s3(config));
        ControlPlane control = null;
        LiveHistory live = null;
        try {
            ModelRepository models = new ModelRepository(store, config.modelBucket(), CACHED_MODELS);
            control = new ControlPlane(config, json, store, models);
            live = new LiveHistory(config.stateDir().resolve("events").resolve("events.jsonl"), json);
            TrackedEvents tracked = new TrackedEvents();
            HttpFront front = HttpFront.start(config.host(), config.port(), config.httpThreads(), json, control,
                    new RuntimeService(control, live, tracked, json));
            return new PersonalizeEngine(store, control, live, tracked, front);
        } catch (IOException | RuntimeException e) {
            if (control != null) control.close();
            try {
                if (live != null) live.close();
            } catch (IOException ignored) {
                // already failing; the original error is the one to report
            }
            store.close();
            if (e instanceof IOException io) throw new UncheckedIOException("cannot start the Personalize engine", io);
            throw (RuntimeException) e;
        }
    }

    /** Base URI for all three APIs, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return front.endpoint();
    }

    /**
     * Items PutEvents reported for a user through the tracker, oldest first (empty for an unknown tracker).
     * Not a Personalize API: the offline walkthrough uses it to check that an event really reached the
     * tracker before it says so.
     */
    public List<String> trackedItems(String trackingId, String userId) {
        String group = control.datasetGroupOfTrackingId(trackingId);
        return group == null ? List.of() : live.items(group, userId);
    }

    /** The user's last events through the tracker as received, with recommendationId and impression (inspection only). */
    public List<TrackedEvents.Received> trackedEvents(String trackingId, String userId) {
        return tracked.of(trackingId, userId);
    }

    @Override
    public void close() {
        front.close();
        control.close();
        try {
            live.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            store.close();
        }
    }

    private static S3Client s3(EngineConfig config) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(config.region()))
                .httpClient(Apache5HttpClient.builder().build());
        if (config.s3Endpoint() != null) b.endpointOverride(config.s3Endpoint()).forcePathStyle(true);
        b.credentialsProvider(config.accessKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()))
                : DefaultCredentialsProvider.builder().build());
        return b.build();
    }
}
