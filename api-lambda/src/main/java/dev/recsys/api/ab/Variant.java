package dev.recsys.api.ab;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.recsys.api.core.Split;
import java.util.regex.Pattern;

/** One arm of the experiment: a name, the Personalize campaign that serves it, its share of users in percent. */
public record Variant(String name, String campaignArn, int weight) implements Split.Arm {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    @JsonCreator
    public Variant(@JsonProperty("name") String name, @JsonProperty("campaign_arn") String campaignArn,
                   @JsonProperty("weight") int weight) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("variant name must match " + NAME + ": " + name);
        }
        if (!PersonalizeArns.isCampaign(campaignArn)) {
            throw new IllegalArgumentException("variant " + name + ": campaign_arn is not a Personalize campaign ARN: " + campaignArn);
        }
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("variant " + name + ": weight must be in 0..100, got " + weight);
        }
        this.name = name;
        this.campaignArn = campaignArn;
        this.weight = weight;
    }
}
