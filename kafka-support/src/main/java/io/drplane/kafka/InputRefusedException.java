package io.drplane.kafka;

/**
 * A record that may be a well-formed event but that its consumer will not take (too large to journal, say): it is
 * dead-lettered with this as its error, so the dead-letter topic tells it apart from a record that could not be read.
 */
public final class InputRefusedException extends Exception {

    public InputRefusedException(String message) {
        super(message);
    }
}
