package dev.recsys.api.core;

/** The experiment being served: the phase exposures are counted under, and each user's sticky arm. */
public interface Split {

    /** One arm: its name and the Personalize campaign that serves it. */
    interface Arm {
        String name();

        String campaignArn();
    }

    String experiment();

    Arm assign(String userId);
}
