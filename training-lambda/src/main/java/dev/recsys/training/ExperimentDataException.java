package dev.recsys.training;

/** Stored experiment data (the published split) cannot be used: never retried, the split stays as it is. */
public final class ExperimentDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ExperimentDataException(String message) {
        super(message);
    }
}
