package io.drplane.events;

import java.util.Objects;

/** Why something was decided or done: a stable code from a closed set and one sentence for people. */
public record Reason(ReasonCode code, String message) {
    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Reason of(ReasonCode code, String message) {
        return new Reason(code, message);
    }
}
