package dev.recsys.producer;

import dev.recsys.producer.core.ProducerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProducerArgsTest {

    @Test
    void defaultsTargetRealAwsWithTheKpl() {
        ProducerArgs a = ProducerArgs.parse("--stream", "events");
        assertThat(a.config().mode()).isEqualTo(ProducerConfig.Mode.KPL);
        assertThat(a.config().endpoint()).isEmpty();
        assertThat(a.config().credentials()).isEmpty();
        assertThat(a.config().offline()).isFalse();
        assertThat(a.events()).isEqualTo(10_000);
        assertThat(a.config().rateLimitPerSecond()).isZero();
        assertThat(a.createShards()).isZero();
        assertThat(a.catalog()).isFalse();
    }

    @Test
    void everyOptionIsRead() {
        ProducerArgs a = ProducerArgs.parse("--stream=s", "--events", "1_000", "--rate", "250.5", "--mode", "putrecords",
                "--seed", "-3", "--users", "100", "--items", "50", "--clusters", "4", "--endpoint", "http://127.0.0.1:4567",
                "--access-key", "ak", "--secret-key", "sk", "--create-shards", "2", "--timeout-ms", "5000",
                "--region", "eu-west-1", "--catalog", "true");
        assertThat(a.config().mode()).isEqualTo(ProducerConfig.Mode.PUT_RECORDS);
        assertThat(a.events()).isEqualTo(1_000);
        assertThat(a.config().rateLimitPerSecond()).isEqualTo(250.5);
        assertThat(a.seed()).isEqualTo(-3);
        assertThat(a.users()).isEqualTo(100);
        assertThat(a.items()).isEqualTo(50);
        assertThat(a.clusters()).isEqualTo(4);
        assertThat(a.config().endpoint()).contains(URI.create("http://127.0.0.1:4567"));
        assertThat(a.config().credentials()).contains(new ProducerConfig.StaticKeys("ak", "sk"));
        assertThat(a.createShards()).isEqualTo(2);
        assertThat(a.config().deliveryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.config().region()).isEqualTo("eu-west-1");
        assertThat(a.catalog()).isTrue();
        assertThatThrownBy(() -> ProducerArgs.parse("--stream", "s", "--catalog", "yes")).hasMessageContaining("--catalog must be true or false");
    }

    @Test
    void anEndpointWithoutKeysUsesTheStackDefaults() {
        ProducerArgs a = ProducerArgs.parse("--stream", "s", "--endpoint", "https://127.0.0.1:1");
        assertThat(a.config().credentials()).contains(new ProducerConfig.StaticKeys("local", "localsecret"));
        assertThat(a.config().credentials().orElseThrow().toString()).doesNotContain("localsecret");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> ProducerArgs.parse("--events", "5")).hasMessageContaining("--stream is required");
        assertThatThrownBy(() -> ProducerArgs.parse("--stream", "s", "--colour", "red"))
                .hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> ProducerArgs.parse("--stream", "s", "--events", "many"))
                .hasMessageContaining("--events must be a whole number");
        assertThatThrownBy(() -> ProducerArgs.parse("--stream", "s", "--events", "-1"))
                .hasMessageContaining("--events must be >= 0");
        assertThatThrownBy(() -> ProducerArgs.parse("--stream", "s", "--mode", "carrier-pigeon"))
                .hasMessageContaining("unknown mode");
        assertThatThrownBy(() -> ProducerArgs.parse("--stream", "s", "--rate", "-5"))
                .hasMessageContaining("rateLimitPerSecond");
        assertThatThrownBy(() -> ProducerArgs.parse("--stream", "s", "--access-key", "x"))
                .hasMessageContaining("only go with --endpoint");
        assertThatThrownBy(() -> ProducerArgs.parse("--stream", "s", "--endpoint", "ftp://x"))
                .hasMessageContaining("http(s)://host:port");
        assertThatThrownBy(() -> ProducerArgs.parse("--stream")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> ProducerArgs.parse("stream")).hasMessageContaining("unexpected argument");
    }
}
