package dev.recsys.api.ab;

import java.util.regex.Pattern;

/** Shape checks for the Personalize ARNs the configuration names: real ARNs, never bare names. */
public final class PersonalizeArns {

    private static final String PREFIX = "arn:aws(-[a-z]+)*:personalize:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:";
    private static final Pattern CAMPAIGN = Pattern.compile(PREFIX + "campaign/[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern FILTER = Pattern.compile(PREFIX + "filter/[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    private PersonalizeArns() {}

    public static boolean isCampaign(String arn) {
        return arn != null && CAMPAIGN.matcher(arn).matches();
    }

    public static boolean isFilter(String arn) {
        return arn != null && FILTER.matcher(arn).matches();
    }
}
