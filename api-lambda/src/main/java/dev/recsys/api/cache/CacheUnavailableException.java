package dev.recsys.api.cache;

/** Redis could not answer in time (down, slow, reconnecting): the caller serves uncached. */
public final class CacheUnavailableException extends Exception {

    public CacheUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
