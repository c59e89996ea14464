package dev.recsys.producer.core;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the stream.
 *
 * @param mode               KPL (aggregating native daemon) or plain SDK PutRecords
 * @param streamName         target stream
 * @param region             AWS region
 * @param endpoint           endpoint override; present only offline (the KPL needs the emulator's TLS endpoint,
 *                           whose self-signed certificate is then trusted)
 * @param credentials        static keys (offline); empty means the default AWS credentials chain
 * @param rateLimitPerSecond events per second; 0 means as fast as Kinesis accepts them
 * @param deliveryTimeout    how long a record may take, retries included, before it counts as failed
 */
public record ProducerConfig(Mode mode, String streamName, String region, Optional<URI> endpoint,
                             Optional<StaticKeys> credentials, double rateLimitPerSecond, Duration deliveryTimeout) {

    public enum Mode {
        KPL, PUT_RECORDS;

        /** Parses {@code kpl} or {@code putrecords} / {@code put_records} (any case). */
        public static Mode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
                case "kpl" -> KPL;
                case "putrecords" -> PUT_RECORDS;
                default -> throw new IllegalArgumentException("unknown mode '" + s + "' (use kpl or putrecords)");
            };
        }
    }

    public record StaticKeys(String accessKey, String secretKey) {
        public StaticKeys {
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
        }

        @Override
        public String toString() {
            return "StaticKeys[" + accessKey + ", ****]";
        }
    }

    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    public ProducerConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        if (streamName == null || streamName.isBlank()) {
            throw new IllegalArgumentException("streamName is required");
        }
        if (!(rateLimitPerSecond >= 0) || Double.isInfinite(rateLimitPerSecond)) {
            throw new IllegalArgumentException("rateLimitPerSecond must be a finite number >= 0");
        }
        if (deliveryTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("deliveryTimeout must be at least 100 ms");
        }
        endpoint.ifPresent(uri -> {
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint must be an http(s)://host:port URI: " + uri);
            }
        });
    }

    /** Real AWS: default credentials chain, no endpoint override. */
    public static ProducerConfig aws(Mode mode, String streamName, String region) {
        return new ProducerConfig(mode, streamName, region, Optional.empty(), Optional.empty(), 0,
                DEFAULT_DELIVERY_TIMEOUT);
    }

    /** The offline stack: an emulator endpoint with fixed fake keys, region us-east-1. */
    public static ProducerConfig local(Mode mode, String streamName, URI endpoint, String accessKey, String secretKey) {
        return new ProducerConfig(mode, streamName, "us-east-1", Optional.of(endpoint),
                Optional.of(new StaticKeys(accessKey, secretKey)), 0, DEFAULT_DELIVERY_TIMEOUT);
    }

    public ProducerConfig withRateLimit(double eventsPerSecond) {
        return new ProducerConfig(mode, streamName, region, endpoint, credentials, eventsPerSecond, deliveryTimeout);
    }

    public ProducerConfig withDeliveryTimeout(Duration timeout) {
        return new ProducerConfig(mode, streamName, region, endpoint, credentials, rateLimitPerSecond, timeout);
    }

    public ProducerConfig withMode(Mode newMode) {
        return new ProducerConfig(newMode, streamName, region, endpoint, credentials, rateLimitPerSecond,
                deliveryTimeout);
    }

    /** True against an emulator: its self-signed certificate is trusted. */
    public boolean offline() {
        return endpoint.isPresent();
    }
}
