package dev.recsys.personalize.engine.control;

/** A client error with its Personalize error type; never carries a stack trace to the caller. */
public final class ServiceException extends RuntimeException {

    private final ErrorCode code;

    public ServiceException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ServiceException invalid(String message) {
        return new ServiceException(ErrorCode.InvalidInputException, message);
    }

    public static ServiceException notFound(String message) {
        return new ServiceException(ErrorCode.ResourceNotFoundException, message);
    }
}
