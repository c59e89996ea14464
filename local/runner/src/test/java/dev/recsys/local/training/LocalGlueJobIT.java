package dev.recsys.local.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recsys.common.event.Exposure;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.InteractionsDataset;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.Endpoints;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.StackOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Glue job in a child JVM (Spark local mode) reading and writing S3Proxy through S3A. */
class LocalGlueJobIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "glue-it";
    private static final Instant END = Instant.parse("2026-03-01T12:00:00Z");
    private static LocalStack stack;

    @TempDir
    Path work;

    @BeforeAll
    static void startS3() {
        stack = LocalStack.start(StackOptions.of(Service.S3));
        stack.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() {
        stack.close();
    }

    private LocalGlueJob job() {
        Endpoints e = stack.endpoints();
        return new LocalGlueJob(new LocalGlueJob.Options(LocalStepFunctionsIT.repoRoot().resolve("glue-job"), e.s3(),
                e.region(), e.accessKey(), e.secretKey(), "local[2]", "1g", Duration.ofMinutes(5), work.resolve("glue")));
    }

    private static ObjectNode startJobRun(String runId, int windowHours) {
        ObjectNode in = JSON.createObjectNode().put("JobName", "recsys-prepare-interactions");
        in.putObject("Arguments").put("--run-id", runId).put("--window-end", END.toString())
                .put("--window-hours", String.valueOf(windowHours)).put("--bucket-root", "s3://" + BUCKET)
                .put("--event-value", "true");
        return in;
    }

    @Test
    void preparesCsvAndManifestInTheBucket() throws Exception {
        List<InteractionEvent> events = RawEvents.synthetic(new SyntheticWorkload.Config(3, 80, 50, 4, 0.6, 0.8, 0.85,
                1_500, END.minus(Duration.ofHours(10)).toEpochMilli(), Duration.ofHours(9).toMillis() / 1_500));
        // Every 15th interaction came from an answer shown to its user a minute before (100 of 1,500).
        List<Exposure> shown = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 15) {
            InteractionEvent e = events.get(i).withRecommendationId("rec-" + i);
            events.set(i, e);
            shown.add(new Exposure("rec-" + i, e.timestampMillis() - 60_000, Exposure.USER_RECOMMENDATIONS, "exp", "a",
                    null, null, "RID-" + i, "personalize", null, e.userId(), null, List.of(e.itemId(), "item-x", "item-y"), false));
        }
        RawEvents.upload(stack.s3(), BUCKET, events, "shardId-000000000000");
        RawEvents.upload(stack.s3(), BUCKET, events.subList(0, 200), "shardId-000000000001"); // replayed flush
        RawEvents.uploadExposures(stack.s3(), BUCKET, shown, "shardId-000000000000");

        JsonNode run = job().invoke(startJobRun("it-run-1", 24));

        assertThat(run.path("JobRunState").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("Id").asText()).startsWith("jr_");
        JsonNode manifest = JSON.readTree(stack.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key("prepared/it-run-1/manifest.json")).asByteArray());
        assertThat(manifest.path("counts").path("read").asLong()).isEqualTo(1_700);
        assertThat(manifest.path("counts").path("duplicates").asLong()).isEqualTo(200);
        assertThat(manifest.path("counts").path("written").asLong()).isEqualTo(1_500);
        assertThat(manifest.path("counts").path("with_impressions").asLong()).isEqualTo(shown.size());
        List<String> csv = stack.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("prepared/it-run-1/interactions/")).contents()
                .stream().map(o -> o.key()).toList();
        assertThat(csv).isNotEmpty().allMatch(k -> k.endsWith(".csv"));
        String body = stack.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(csv.get(0))).asUtf8String();
        assertThat(body).startsWith(String.join(",", InteractionsDataset.columns(true)) + "\n");
        assertThat(body.lines().count()).isEqualTo(1_501);
        InteractionEvent first = events.get(0);
        assertThat(body.lines()).anyMatch(l -> l.startsWith(String.join(",", first.userId(), first.itemId(), first.eventType()) + ",")
                && l.endsWith("," + first.timestampMillis() / 1000 + "," + first.itemId() + "|item-x|item-y,RID-0"));
        assertThat(body.lines().filter(l -> l.endsWith(",,"))).hasSize(1_500 - shown.size());
    }

    @Test
    void tooLittleDataFailsTheTaskWithTheJobsMessage() {
        assertThatThrownBy(() -> job().invoke(startJobRun("it-run-empty", 1)))
                .isInstanceOf(TaskFailure.class)
                .satisfies(e -> assertThat(((TaskFailure) e).errorType()).isEqualTo("States.TaskFailed"))
                .hasMessageContaining("InsufficientDataException")
                .hasMessageContaining("nothing to train on");
    }
}
