package dev.recsys.glue;

/** The window holds too little clean data to train on; the message says how much and what is needed. */
public final class InsufficientDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InsufficientDataException(String message) {
        super(message);
    }
}
