package dev.recsys.local.training;

/**
 * A task error with an explicit error name, for local stand-ins of service integrations whose AWS
 * errors are not Java class names (a failed Glue {@code .sync} run is {@code States.TaskFailed}).
 */
public final class TaskFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String errorType;

    public TaskFailure(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    public String errorType() {
        return errorType;
    }
}
