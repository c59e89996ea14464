package dev.recsys.api.core;

/** Where each finished request is reported (one EMF line in Lambda). Must not throw. */
@FunctionalInterface
public interface RequestLog {

    RequestLog NONE = (route, status, latencyMillis, requestId, served) -> { };

    /**
     * @param route  the route template, or {@code unmatched}
     * @param served null when the request produced no recommendation (an error, health, experiments)
     */
    void finished(String route, int status, double latencyMillis, String requestId, Served served);

    /** Loads what the first report needs, in the init phase; reports nothing. */
    default void warm() {
    }
}
