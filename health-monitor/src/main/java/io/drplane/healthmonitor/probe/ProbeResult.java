package io.drplane.healthmonitor.probe;

import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import jakarta.annotation.Nullable;
import java.time.Instant;

/** How one probe of one target ended, and when. */
public record ProbeResult(
        ProbeSource source,
        ProbeOutcome outcome,
        @Nullable Integer statusCode,
        long latencyMillis,
        Instant observedAt,
        @Nullable String detail) {

    public boolean ok() {
        return outcome == ProbeOutcome.OK;
    }
}
