package dev.recsys.api.support;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** An SDK service exception with a given HTTP status, as the Personalize client throws it. */
public final class GuardedRecommenderTestAccess {

    private GuardedRecommenderTestAccess() {}

    public static AwsServiceException serverError(int status) {
        return AwsServiceException.builder().statusCode(status).message("HTTP " + status).build();
    }
}
