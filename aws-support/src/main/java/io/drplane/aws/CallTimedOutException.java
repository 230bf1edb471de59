package io.drplane.aws;

/** One attempt of an AWS call did not answer within the time limit. */
public final class CallTimedOutException extends RuntimeException {

    public CallTimedOutException(String message) {
        super(message);
    }
}
