package dev.recsys.consumer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

/** Names of the stores events land in. */
public class StoreSettings {
    @JsonProperty @NotEmpty
    public String interactionsTable = "interactions";
    @JsonProperty @NotEmpty
    public String userProfilesTable = "user_profiles";
    @JsonProperty @NotEmpty
    public String exposuresTable = "exposures";
    @JsonProperty @NotEmpty
    public String experimentUsersTable = "experiment_users";
    @JsonProperty @NotEmpty
    public String experimentsTable = "experiments";
    @JsonProperty @NotEmpty
    public String itemsTable = "items";
    @JsonProperty @NotEmpty
    public String usersTable = "users";
    @JsonProperty @NotEmpty
    public String bucket;
    /** Interactions expire from DynamoDB (not from S3) this many days after their event time. */
    @JsonProperty @Min(1)
    public int interactionTtlDays = 90;
    /** Create missing tables and bucket at start (offline mode); on AWS, Terraform owns them. */
    @JsonProperty
    public boolean createIfMissing = false;
}
