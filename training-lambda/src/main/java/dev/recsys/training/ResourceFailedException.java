package dev.recsys.training;

/** A Personalize job or resource ended in a failed state; the message carries Personalize's failure reason. */
public final class ResourceFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResourceFailedException(String message) {
        super(message);
    }
}
