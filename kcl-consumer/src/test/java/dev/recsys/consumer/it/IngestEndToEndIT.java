package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.common.workload.SyntheticWorkload;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.producer.core.ProducerConfig;
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
    static final int UNTIMED = 100;

    /** Events of 10 users whose records will carry no timestamp; ids distinct from the workload's. */
    private static List<InteractionEvent> untimedEvents(long after) {
        List<InteractionEvent> out = new ArrayList<>();
        for (int i = 0; i < UNTIMED; i++) {
            out.add(InteractionEvent.of("untimed-" + i, SyntheticWorkload.userId(i % 10), SyntheticWorkload.itemId(i), "click", after));
        }
        return out;
    }

    private static void sendWithoutTimestamp(LocalStack stack, String stream, List<InteractionEvent> events) {
        Map<String, List<byte[]>> byUser = new java.util.LinkedHashMap<>();
        for (InteractionEvent e : events) {
            byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(String.format(
                    "{\"event_id\":\"%s\",\"user_id\":\"%s\",\"item_id\":\"%s\",\"event_type\":\"%s\"}",
                    e.eventId(), e.userId(), e.itemId(), e.eventType()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byUser.forEach((user, payloads) -> TestTraffic.sendRaw(stack, stream, user, payloads));
    }

    private static long count(InProcessConsumer consumer, String meter) {
        return consumer.metrics().meter(meter).getCount();
    }

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
            // Events with an event_id but no timestamp take their record's arrival time; their retries
            // arrive later, so only the event id can make them the same event.
            List<InteractionEvent> untimed = untimedEvents(events.get(events.size() - 1).timestampMillis());
            sendWithoutTimestamp(stack, setup.stream, untimed);
            Await.until("untimed events stored", Duration.ofMinutes(3),
                    () -> inspect.interactions().size() == EVENTS + UNTIMED, () -> inspect.interactions().size() + " rows");
            sendWithoutTimestamp(stack, setup.stream, untimed); // the producer's retry, seconds later
            events.addAll(untimed);
            // At least our 500 + UNTIMED retries are duplicates; the KPL may resend an aggregated record on its own
            // (a slow PutRecords under load), and those are duplicates too. A lease lost under load (renewal missed
            // on a busy machine; the worker takes its lease back) replays from the checkpoint: a replayed row our own
            // position wrote is written again (its profile and archive writes redone), and records the lost owner had
            // not written are counted as released. Exact either way: every record read is written, a duplicate or
            // released; the rows themselves are asserted exactly below.
            Await.until("all events stored and checkpointed", Duration.ofMinutes(3),
                    () -> count(consumer, "ingest.duplicates") >= 500 + UNTIMED
                            && inspect.interactions().size() == EVENTS + UNTIMED
                            && count(consumer, "ingest.recordsIn") == count(consumer, "ingest.eventsWritten")
                               + count(consumer, "ingest.duplicates") + count(consumer, "ingest.recordsReleased")
                            && TestTraffic.fullyCheckpointed(stack, setup, inspect),
                    () -> inspect.interactions().size() + " rows, records in " + count(consumer, "ingest.recordsIn")
                            + ", written " + count(consumer, "ingest.eventsWritten")
                            + ", duplicates " + count(consumer, "ingest.duplicates")
                            + ", released " + count(consumer, "ingest.recordsReleased")
                            + " (leases lost " + count(consumer, "kcl.leasesLost") + "), leases " + inspect.leases());

            long checkpointFlushes = consumer.metrics().timer("ingest.checkpointFlush").getCount();
            assertThat(inspect.interactions()).hasSize(EVENTS + UNTIMED);
            assertThat(consumer.health()).allSatisfy((name, result) -> assertThat(result.isHealthy()).as(name).isTrue());

            // DynamoDB: exactly the valid events, unique sort keys, GSI attribute present.
            List<Map<String, AttributeValue>> rows = inspect.interactions();
            Set<String> ids = rows.stream().map(r -> r.get("event_id").s()).collect(Collectors.toSet());
            assertThat(ids).hasSize(EVENTS + UNTIMED)
                    .isEqualTo(events.stream().map(InteractionEvent::eventId).collect(Collectors.toSet()));
            assertThat(rows).allSatisfy(r -> assertThat(r).containsKeys("item_id", "ttl", "event_time"));

            // Profiles: count == distinct event ids of that user (untimed retries included once).
            Map<String, Long> expected = events.stream().collect(Collectors.groupingBy(InteractionEvent::userId, Collectors.counting()));
            assertThat(inspect.profileCounts()).isEqualTo(expected);

            // S3: every event exactly once across raw objects; one object per shard per flush (and hour).
            List<JsonNode> lines = inspect.jsonLines(S3Layout.RAW_PREFIX);
            Map<String, Integer> seen = new HashMap<>();
            lines.forEach(l -> seen.merge(l.get("event_id").asText(), 1, Integer::sum));
            // (An untimed retry is archived once too: it is a duplicate, not a first-seen event.)
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
