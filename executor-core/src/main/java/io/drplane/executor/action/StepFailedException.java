package io.drplane.executor.action;

/** A command that ran but did not reach its end state: a verify check that does not hold, a resource that is missing. */
public final class StepFailedException extends RuntimeException {

    private final String errorCode;
    private final boolean retryable;

    public StepFailedException(String errorCode, String message, boolean retryable) {
        super(message);
        this.errorCode = errorCode;
        this.retryable = retryable;
    }

    public String errorCode() {
        return errorCode;
    }

    public boolean retryable() {
        return retryable;
    }
}
