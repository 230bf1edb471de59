package io.drplane.coordinator.safety;

import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;

/** Why a failover may not start now, and what a person can do about it. */
public record Refusal(ReasonCode code, String message, String remedy) {

    public Reason reason() {
        return Reason.of(code, message);
    }
}
