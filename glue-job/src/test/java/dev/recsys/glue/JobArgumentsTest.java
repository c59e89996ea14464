package dev.recsys.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobArgumentsTest {

    @Test
    void parsesGlueStyleArgumentsAndKeepsGluesOwn() {
        JobArguments a = JobArguments.parse("--JOB_ID", "j_1", "--bucket-root", "s3://b", "--run-id", "exec-1",
                "--window-end=2026-03-01T12:00:00Z", "--window-hours", "48", "--event-value", "false", "--verbose");
        assertThat(a.get("JOB_ID")).contains("j_1");
        assertThat(a.flag("verbose", false)).isTrue();

        PrepareConfig c = PrepareConfig.fromArguments(a, Instant.EPOCH);
        assertThat(c.bucketRoot()).isEqualTo("s3://b");
        assertThat(c.windowEnd()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(c.windowStart()).isEqualTo(Instant.parse("2026-02-27T12:00:00Z"));
        assertThat(c.includeEventValue()).isFalse();
        assertThat(c.minInteractions()).isEqualTo(1_000);
        assertThat(c.minUsers()).isEqualTo(25);
        assertThat(c.exposureMargin()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.preparedPrefix()).isEqualTo("prepared/exec-1/");
    }

    @Test
    void defaultWindowEndsAtTheEndOfTheCurrentHour() {
        PrepareConfig c = PrepareConfig.fromArguments(
                JobArguments.parse("--bucket-root", "file:/tmp/x/", "--run-id", "r1"), Instant.parse("2026-03-01T12:34:56Z"));
        assertThat(c.windowEnd()).isEqualTo(Instant.parse("2026-03-01T13:00:00Z"));
        assertThat(c.windowStart()).isEqualTo(Instant.parse("2026-01-30T13:00:00Z"));
        assertThat(c.bucketRoot()).isEqualTo("file:/tmp/x");
    }

    @Test
    void exposureMarginIsMinutesBeforeTheWindow() {
        PrepareConfig c = PrepareConfig.fromArguments(JobArguments.parse("--bucket-root", "s3://b", "--run-id", "r",
                "--exposure-margin-minutes", "90"), Instant.EPOCH);
        assertThat(c.exposureMargin()).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> PrepareConfig.fromArguments(JobArguments.parse("--bucket-root", "s3://b", "--run-id", "r",
                "--exposure-margin-minutes", "-1"), Instant.EPOCH))
                .hasMessageContaining("--exposure-margin-minutes must be >= 0");
    }

    @Test
    void badArgumentsFailWithTheArgumentNamed() {
        assertThatThrownBy(() -> JobArguments.parse("bucket-root", "x")).hasMessageContaining("expected --name");
        assertThatThrownBy(() -> PrepareConfig.fromArguments(JobArguments.parse("--run-id", "r"), Instant.EPOCH))
                .hasMessageContaining("--bucket-root");
        assertThatThrownBy(() -> PrepareConfig.fromArguments(
                JobArguments.parse("--bucket-root", "s3://b", "--run-id", "r", "--window-end", "yesterday"), Instant.EPOCH))
                .hasMessageContaining("--window-end must be an ISO-8601 instant");
        assertThatThrownBy(() -> PrepareConfig.fromArguments(
                JobArguments.parse("--bucket-root", "s3://b", "--run-id", "../etc"), Instant.EPOCH))
                .hasMessageContaining("run id must match");
        assertThatThrownBy(() -> PrepareConfig.fromArguments(
                JobArguments.parse("--bucket-root", "s3://b", "--run-id", "r", "--window-hours", "0"), Instant.EPOCH))
                .hasMessageContaining("--window-hours must be >= 1");
        assertThatThrownBy(() -> PrepareConfig.fromArguments(
                JobArguments.parse("--bucket-root", "s3://b", "--run-id", "r", "--event-value", "maybe"), Instant.EPOCH))
                .hasMessageContaining("--event-value must be true or false");
    }
}
