package io.drplane.notifier.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * A send that did not get through. {@code permanent} ones (a 4xx other than 408 and 429, a refused address) are not
 * retried; the others are, after {@code retryAfter} when the destination said how long to wait. The message never holds
 * a credential: channels mask theirs before they throw.
 */
public final class DeliveryException extends Exception {

    private final boolean permanent;
    private final Duration retryAfter;

    public DeliveryException(String message, boolean permanent, Duration retryAfter) {
        super(message, null, false, false);
        this.permanent = permanent;
        this.retryAfter = retryAfter;
    }

    public static DeliveryException transientFailure(String message) {
        return new DeliveryException(message, false, null);
    }

    public static DeliveryException permanentFailure(String message) {
        return new DeliveryException(message, true, null);
    }

    public boolean permanent() {
        return permanent;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
