package io.drplane.aws;

/**
 * An AWS call that failed for good: after its retries, at once because retrying cannot help (access denied, a
 * validation error), because the service's circuit is open, or because it ran out of time.
 */
public final class AwsCallException extends RuntimeException {

    private final String errorCode;
    private final String requestId;
    private final boolean retryable;
    private final boolean timedOut;

    public AwsCallException(
            String errorCode, String message, String requestId, boolean retryable, boolean timedOut, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.requestId = requestId;
        this.retryable = retryable;
        this.timedOut = timedOut;
    }

    public String errorCode() {
        return errorCode;
    }

    /** AWS's request id of the last attempt, when the service answered. */
    public String requestId() {
        return requestId;
    }

    /** Whether trying the command again later could succeed (throttling, 5xx, an open circuit, a time-out). */
    public boolean retryable() {
        return retryable;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
