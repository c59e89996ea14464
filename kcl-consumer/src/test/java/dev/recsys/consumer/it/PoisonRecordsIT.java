package dev.recsys.consumer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recsys.common.event.InteractionEvent;
import dev.recsys.common.event.RejectReason;
import dev.recsys.common.keys.S3Layout;
import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.junit.WithLocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poison corpus interleaved with valid events on the same shard: every bad record is
 * dead-lettered with its reason and original bytes, and the valid ones keep flowing past it.
 */
@WithLocalStack
class PoisonRecordsIT {

    @Test
    void poisonIsDeadLetteredWithReasonsAndTheShardKeepsFlowing(LocalStack stack, @TempDir Path dir) throws Exception {
        ConsumerSetup setup = new ConsumerSetup("poison", stack.endpoints());
        stack.createStream(setup.stream, 1);
        long now = System.currentTimeMillis();
        Map<String, RejectReason> corpus = new LinkedHashMap<>();
        corpus.put("not json at all", RejectReason.INVALID_JSON);
        corpus.put("{\"user_id\":\"u1\",", RejectReason.INVALID_JSON);
        corpus.put("[\"u1\",\"i1\"]", RejectReason.NOT_A_JSON_OBJECT);
        corpus.put("{\"user_id\":42,\"item_id\":\"i1\",\"event_type\":\"view\"}", RejectReason.WRONG_TYPE);
        corpus.put("{\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"event_value\":\"high\"}", RejectReason.WRONG_TYPE);
        corpus.put("{\"item_id\":\"i1\",\"event_type\":\"view\"}", RejectReason.MISSING_FIELD);
        corpus.put("{\"user_id\":\"u1\",\"event_type\":\"view\"}", RejectReason.MISSING_FIELD);
        corpus.put("{\"user_id\":\"" + "x".repeat(300) + "\",\"item_id\":\"i1\",\"event_type\":\"view\"}", RejectReason.INVALID_ID);
        corpus.put("{\"user_id\":\"u1\",\"item_id\":\"i 1; DROP TABLE\",\"event_type\":\"view\"}", RejectReason.INVALID_ID);
        corpus.put("{\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"timestamp\":" + (now + 86_400_000L) + "}",
                RejectReason.TIMESTAMP_IN_FUTURE);
        corpus.put("{\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"timestamp\":946684800000}", RejectReason.TIMESTAMP_TOO_OLD);
        corpus.put("{\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"timestamp\":1700000000}", RejectReason.TIMESTAMP_TOO_OLD);
        corpus.put("{\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"session_id\":\"" + "s".repeat(20_000) + "\"}",
                RejectReason.RECORD_TOO_LARGE);
        corpus.put("{\"user_id\":\"u1\",\"item_id\":\"i1\",\"event_type\":\"view\",\"properties\":{\"a\":{\"b\":1}}}",
                RejectReason.INVALID_PROPERTIES);

        List<byte[]> payloads = new ArrayList<>();
        Map<String, RejectReason> expectedByBase64 = new HashMap<>();
        List<InteractionEvent> valid = new ArrayList<>();
        Random random = new Random(5);
        int n = 0;
        for (Map.Entry<String, RejectReason> bad : corpus.entrySet()) {
            byte[] bytes = bad.getKey().getBytes(StandardCharsets.UTF_8);
            payloads.add(bytes);
            expectedByBase64.put(Base64.getEncoder().encodeToString(bytes), bad.getValue());
            for (int i = 0; i < 20; i++, n++) {
                InteractionEvent e = InteractionEvent.of("ok-" + n, "u1", "i" + (n % 7), "view", now - 60_000 + n);
                valid.add(e);
                payloads.add(dev.recsys.common.event.EventJson.toBytes(e));
            }
        }
        for (int i = 0; i < 5; i++) { // binary garbage, including invalid UTF-8
            byte[] garbage = new byte[64 + random.nextInt(512)];
            random.nextBytes(garbage);
            garbage[0] = (byte) 0xC3; // an invalid UTF-8 start sequence guarantees NOT_UTF8
            garbage[1] = (byte) 0x28;
            payloads.add(garbage);
            expectedByBase64.put(Base64.getEncoder().encodeToString(garbage), RejectReason.NOT_UTF8);
        }
        TestTraffic.sendRaw(stack, setup.stream, "u1", payloads);

        StoreInspector inspect = new StoreInspector(stack.dynamoDb(), stack.s3(), setup);
        try (InProcessConsumer consumer = InProcessConsumer.start(setup.writeConfig(dir, "w1"), List.of())) {
            Await.until("valid events stored and the shard checkpointed past the poison", Duration.ofMinutes(2),
                    () -> TestTraffic.fullyCheckpointed(stack, setup, inspect) && inspect.interactions().size() == valid.size(),
                    () -> inspect.interactions().size() + " rows; leases " + inspect.leases());
            List<JsonNode> deadLetters = inspect.jsonLines(S3Layout.DEAD_LETTER_PREFIX);
            Map<String, String> actual = new HashMap<>();
            for (JsonNode d : deadLetters) {
                assertThat(d.get("detail").asText()).isNotBlank();
                assertThat(d.get("partition_key").asText()).isEqualTo("u1");
                assertThat(d.get("sequence_number").asText()).isNotBlank();
                actual.put(d.get("data_base64").asText(), d.get("reason").asText());
            }
            Map<String, String> expected = new HashMap<>();
            expectedByBase64.forEach((k, v) -> expected.put(k, v.name()));
            assertThat(actual).isEqualTo(expected);
            assertThat(consumer.metrics().meter("ingest.deadLettered").getCount()).isEqualTo(expected.size());
            Expectations.exactlyOnceEverywhere(inspect, valid);
        }
    }
}
