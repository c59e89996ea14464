package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.producer.ProducerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * 20,000 events (plus producer-retry duplicates) across 4 shards through the real service:
 * every valid event exactly once in DynamoDB and S3, profile counts exact, S3 objects batched.
 */
@WithLocalStack
class IngestEndToEndIT {

    static final int EVENTS = 20_000;
    static final int SHARDS = 4;

    @Test
    void everyEventLandsExactlyOnce(LocalStack stack, @TempDir Path dir) throws Exception {
        ConsumerSetup setup = new ConsumerSetup("e2e", stack.endpoints());
        stack.createStream(setup.stream, SHARDS);
        List<InteractionEvent> events = new ArrayList<>();
        new SyntheticWorkload(SyntheticWorkload.Config.reference(42, EVENTS, System.currentTimeMillis() - 3_600_000L))
                .forEach(events::add);
        // Producer retries: the same events sent again later must not be stored or counted twice.
        List<InteractionEvent> withRetries = new ArrayList<>(events);
        withRetries.addAll(events.subList(0, 500));

        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), setup);
        try (InProcessConsumer consumer = InProcessConsumer.start(setup.writeConfig(dir, "w1"), List.of())) {
            TestTraffic.send(stack, setup.stream, withRetries, ProducerConfig.Mode.KPL); // aggregated records
            Await.until("all events stored and checkpointed", Duration.ofMinutes(3),
                    () -> inspect.interactions().size() == EVENTS && TestTraffic.fullyCheckpointed(stack, setup, inspect),
                    () -> inspect.interactions().size() + " rows, leases " + inspect.leases());

            long checkpointFlushes = consumer.metrics().timer("ingest.checkpointFlush").getCount();
            assertThat(consumer.metrics().meter("ingest.duplicates").getCount()).isEqualTo(500);
            assertThat(consumer.health()).allSatisfy((name, result) -> assertThat(result.isHealthy()).as(name).isTrue());

            // DynamoDB: exactly the valid events, unique sort keys, GSI attribute present.
            List<Map<String, AttributeValue>> rows = inspect.interactions();
            Set<String> ids = rows.stream().map(r -> r.get("event_id").s()).collect(Collectors.toSet());
            assertThat(ids).hasSize(EVENTS).isEqualTo(events.stream().map(InteractionEvent::eventId).collect(Collectors.toSet()));
            assertThat(rows).allSatisfy(r -> assertThat(r).containsKeys("item_id", "ttl", "event_time"));

            // Profiles: count == distinct event ids of that user.
            Map<String, Long> expected = events.stream().collect(Collectors.groupingBy(InteractionEvent::userId, Collectors.counting()));
            assertThat(inspect.profileCounts()).isEqualTo(expected);

            // S3: every event exactly once across raw objects; one object per shard per flush (and hour).
            List<JsonNode> lines = inspect.jsonLines(S3Layout.RAW_PREFIX);
            Map<String, Integer> seen = new HashMap<>();
            lines.forEach(l -> seen.merge(l.get("event_id").asText(), 1, Integer::sum));
            assertThat(seen.keySet()).isEqualTo(ids);
            assertThat(seen.values()).allMatch(n -> n == 1);
            List<String> objects = inspect.objectKeys(S3Layout.RAW_PREFIX);
            Set<String> hours = new HashSet<>();
            objects.forEach(k -> hours.add(k.substring(0, k.lastIndexOf('/'))));
            assertThat((long) objects.size()).isLessThanOrEqualTo(checkpointFlushes * hours.size());
            assertThat(objects.size()).as("batched, never one object per event").isLessThan(EVENTS / 100);
            assertThat(inspect.objectKeys(S3Layout.DEAD_LETTER_PREFIX)).isEmpty();
        }
        // Graceful stop released the leases with final checkpoints.
        assertThat(inspect.leases()).hasSize(SHARDS).allSatisfy(l -> assertThat(l.checkpoint()).isNotEqualTo("TRIM_HORIZON"));
    }
}
