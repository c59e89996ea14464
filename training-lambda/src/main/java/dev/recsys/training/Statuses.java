package dev.recsys.training;

/** Personalize status strings ("CREATE PENDING", "ACTIVE", "CREATE FAILED", ...) reduced to what the wait loops need. */
final class Statuses {

    static final String ACTIVE = "ACTIVE";
    static final String PENDING = "PENDING";

    private Statuses() {}

    static boolean isActive(String status) {
        return ACTIVE.equals(status);
    }

    static boolean isFailed(String status) {
        return status != null && (status.endsWith("FAILED") || status.endsWith("STOPPED") || status.endsWith("STOPPING"));
    }

    static boolean isInProgress(String status) {
        return status != null && (status.endsWith("PENDING") || status.endsWith("IN_PROGRESS"));
    }

    /** ACTIVE or PENDING; a failed resource throws with Personalize's reason. */
    static String require(String what, String status, String failureReason) {
        if (isFailed(status)) {
            throw new ResourceFailedException(what + " is " + status
                    + (failureReason == null || failureReason.isBlank() ? "" : ": " + failureReason));
        }
        return isActive(status) ? ACTIVE : PENDING;
    }
}
