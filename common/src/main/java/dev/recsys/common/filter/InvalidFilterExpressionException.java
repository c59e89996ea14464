package dev.recsys.common.filter;

/**
 * A filter expression this platform cannot accept: malformed, or a form Personalize has that the offline engine
 * does not evaluate. The message says which, at which position; callers map it to Personalize's
 * {@code InvalidInputException}.
 */
public final class InvalidFilterExpressionException extends IllegalArgumentException {

    public InvalidFilterExpressionException(String message) {
        super(message);
    }
}
