package dev.recsys.consumer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;

/**
 * Where the AWS services are. On AWS every endpoint stays empty (the SDK resolves them) and
 * credentials come from the ECS task role. Offline, endpoints point at the local stand-ins and
 * static credentials are used; that is the only difference between the two modes.
 */
public class AwsSettings {
    @JsonProperty @NotEmpty
    public String region = "us-east-1";
    @JsonProperty
    public String kinesisEndpoint;
    @JsonProperty
    public String dynamoDbEndpoint;
    @JsonProperty
    public String s3Endpoint;
    @JsonProperty
    public String cloudWatchEndpoint;
    @JsonProperty
    public String personalizeEventsEndpoint;
    /** Static credentials for offline mode; empty means the default provider chain. */
    @JsonProperty
    public String accessKeyId;
    @JsonProperty
    public String secretAccessKey;
    /** Offline only: the Kinesis emulator's TLS certificate is self-signed. */
    @JsonProperty
    public boolean trustAllCertificates = false;

    public boolean hasStaticCredentials() {
        return accessKeyId != null && !accessKeyId.isBlank();
    }
}
