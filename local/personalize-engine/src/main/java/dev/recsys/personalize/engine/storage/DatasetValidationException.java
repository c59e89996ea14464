package dev.recsys.personalize.engine.storage;

/** Data Personalize would refuse; the message becomes the import job's failureReason. */
public final class DatasetValidationException extends Exception {

    public DatasetValidationException(String message) {
        super(message);
    }
}
