package dev.recsys.personalize.engine.control;

/** The service's typed errors; the name is the wire {@code __type} the SDK maps to an exception class. */
public enum ErrorCode {
    InvalidInputException(400),
    ResourceNotFoundException(404),
    ResourceAlreadyExistsException(400),
    ResourceInUseException(409),
    LimitExceededException(400),
    /** The request was not valid JSON or named no known operation. */
    SerializationException(400),
    UnknownOperationException(400);

    private final int restStatus;

    ErrorCode(int restStatus) {
        this.restStatus = restStatus;
    }

    /** HTTP status on the REST (runtime, events) APIs; the JSON 1.1 control plane always answers 400. */
    public int restStatus() {
        return restStatus;
    }
}
