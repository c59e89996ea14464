package dev.recsys.common.experiment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.event.EventLimits;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The A/B split the API serves, as the pipeline's decision step publishes it at
 * {@code config/experiment.json} (absent: the split the API was deployed with).
 *
 * <p>The {@code salt} assigns users to buckets and never changes, so shifting weight toward a winner
 * moves only the users of the shifted buckets; {@code experiment} names the phase the results are
 * counted under, and changes with every shift, so a new split starts its statistics afresh.
 *
 * @param reason why this split, in words (the decision's numbers), for people reading the file
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExperimentSplit(
        @JsonProperty("salt") String salt,
        @JsonProperty("experiment") String experiment,
        @JsonProperty("variants") List<Arm> variants,
        @JsonProperty("decided_at") String decidedAt,
        @JsonProperty("reason") String reason) {

    /** One arm: a name, the campaign that serves it, its share of users in percent. */
    public record Arm(@JsonProperty("name") String name, @JsonProperty("campaign_arn") String campaignArn,
                      @JsonProperty("weight") int weight) {
        public Arm {
            if (!EventLimits.isValidId(name)) throw new IllegalArgumentException("variant name is not a valid id: " + name);
            Objects.requireNonNull(campaignArn, "campaign_arn");
            if (weight < 0 || weight > 100) throw new IllegalArgumentException("weight must be in 0..100: " + weight);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public ExperimentSplit {
        if (!EventLimits.isValidId(salt)) throw new IllegalArgumentException("salt is not a valid id: " + salt);
        if (!EventLimits.isValidId(experiment)) throw new IllegalArgumentException("experiment is not a valid id: " + experiment);
        variants = List.copyOf(variants);
        if (variants.isEmpty()) throw new IllegalArgumentException("at least one variant is required");
        Set<String> names = new HashSet<>();
        int sum = 0;
        for (Arm a : variants) {
            if (!names.add(a.name())) throw new IllegalArgumentException("duplicate variant " + a.name());
            sum += a.weight();
        }
        if (sum != 100) throw new IllegalArgumentException("weights must sum to 100, got " + sum);
    }

    public static ExperimentSplit parse(byte[] json) throws IOException {
        return JSON.readValue(json, ExperimentSplit.class);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
