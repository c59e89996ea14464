package dev.recsys.personalize.engine;

import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.personalize.engine.config.EngineConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalizeevents.PersonalizeEventsClient;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;

/** SDK clients and test data for the engine's integration tests. */
final class EngineFixture {

    /** The schema the pipeline creates. */
    static final String INTERACTIONS_SCHEMA = InteractionsDataset.schemaJson(true);

    private EngineFixture() {}

    static EngineConfig config(Endpoints s3, Path stateDir, String bucket) {
        return EngineConfig.local(stateDir, s3.s3(), s3.accessKey(), s3.secretKey(), bucket)
                .withStepDelay(Duration.ofMillis(200));
    }

    /**
     * Personalize's CSV (as the Glue job writes it) for the first {@code events} synthetic events; every tenth
     * carries an impression and a recommendation id, which the engine checks and does not train on.
     */
    static String csv(long events) {
        StringBuilder b = new StringBuilder(String.join(",", InteractionsDataset.columns(true))).append('\n');
        int n = 0;
        for (InteractionEvent e : new SyntheticWorkload(SyntheticWorkload.Config.reference(7, events, 1_700_000_000_000L))) {
            boolean shown = n++ % 10 == 0;
            b.append(e.userId()).append(',').append(e.itemId()).append(',').append(e.eventType()).append(',')
                    .append(e.eventValue() == null ? "" : e.eventValue()).append(',')
                    .append(e.timestampMillis() / 1000).append(',')
                    .append(shown ? "item-000001|" + e.itemId() + "|item-000002" : "").append(',')
                    .append(shown ? "RID-" + n : "").append('\n');
        }
        return b.toString();
    }

    static PersonalizeClient control(URI endpoint) {
        return PersonalizeClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClientBuilder(Apache5HttpClient.builder()).build();
    }

    static PersonalizeRuntimeClient runtime(URI endpoint) {
        return PersonalizeRuntimeClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClientBuilder(Apache5HttpClient.builder()).build();
    }

    static PersonalizeEventsClient events(URI endpoint) {
        return PersonalizeEventsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClientBuilder(Apache5HttpClient.builder()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "thing"));
    }
}
