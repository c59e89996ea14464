package dev.recsys.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.Service;
import dev.recsys.local.stack.junit.WithLocalStack;
import dev.recsys.producer.readback.StreamReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

@WithLocalStack(services = Service.KINESIS)
class ProducerMainIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ProducerMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @ParameterizedTest
    @CsvSource({"kpl, true", "putrecords, false"})
    void streamsTheSyntheticWorkloadIntoANewStream(String mode, boolean tls, LocalStack stack) {
        String stream = "main-" + mode;
        String endpoint = (tls ? stack.endpoints().kinesis() : stack.endpoints().kinesisPlain()).toString();
        int code = run("--stream", stream, "--events", "800", "--mode", mode, "--seed", "3", "--endpoint", endpoint,
                "--create-shards", "2", "--users", "300", "--items", "100", "--clusters", "4");
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.print(output);
        assertThat(code).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(output).contains("created stream " + stream + " with 2 shards")
                .contains("\"events\":800,\"acked\":800,\"failed\":0")
                .contains("800 of 800 events acknowledged");
        assertThat(stack.kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary()
                .openShardCount()).isEqualTo(2);
        assertThat(new StreamReader(stack.kinesis()).readAll(stream, Duration.ofSeconds(30)).userRecords()).hasSize(800);
    }

    @Test
    void theCatalogGoesFirstAsItemRecordsTheConsumersParserAccepts(LocalStack stack) {
        String stream = "main-catalog";
        int code = run("--stream", stream, "--events", "50", "--mode", "putrecords", "--seed", "3", "--catalog", "true",
                "--endpoint", stack.endpoints().kinesisPlain().toString(), "--create-shards", "1", "--users", "30", "--items", "20",
                "--clusters", "4");
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(output + err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(output).contains("\"items\":20,\"items_acked\":20");
        var records = new StreamReader(stack.kinesis()).readAll(stream, Duration.ofSeconds(30)).userRecords();
        assertThat(records).hasSize(70);
        var parser = new dev.recsys.common.event.EventParser();
        for (int i = 0; i < records.size(); i++) {
            var r = records.get(i);
            var parsed = parser.parse(r.data(), new dev.recsys.common.event.RecordOrigin(r.shardId(), r.sequenceNumber(), r.subSequence(),
                    System.currentTimeMillis()));
            assertThat(parsed).as("record " + i).isInstanceOf(i < 20 ? dev.recsys.common.event.ParseResult.AcceptedItem.class
                    : dev.recsys.common.event.ParseResult.Accepted.class);
        }
    }

    @Test
    void failuresGiveExitCodeOne(LocalStack stack) {
        int code = run("--stream", "main-missing", "--events", "5", "--mode", "putrecords",
                "--endpoint", stack.endpoints().kinesisPlain().toString());
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(output).contains("\"acked\":0,\"failed\":5").contains("FAILED:");
    }

    @Test
    void badArgumentsGiveExitCodeTwoAndTheUsage() {
        assertThat(run("--events", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--stream is required").contains("usage: producer");
    }
}
