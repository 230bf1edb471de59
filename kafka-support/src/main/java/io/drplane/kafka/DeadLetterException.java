package io.drplane.kafka;

/**
 * A record could not be parsed and could not be written to the dead-letter topic either. The consumer must
 * not commit past it: it is retried rather than lost.
 */
public class DeadLetterException extends RuntimeException {
    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}
