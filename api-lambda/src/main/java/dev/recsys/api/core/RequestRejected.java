package dev.recsys.api.core;

/** The caller asked for something the core cannot serve; the HTTP layer turns it into a typed 4xx. */
public final class RequestRejected extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND }

    private final Kind kind;
    private final String code;

    public RequestRejected(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
