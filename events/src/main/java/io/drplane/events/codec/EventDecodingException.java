package io.drplane.events.codec;

/** A record value that is not a drplane event this code can read; the message says what is wrong with it. */
public class EventDecodingException extends Exception {
    public EventDecodingException(String message) {
        super(message);
    }

    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
