package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.time.Duration;

/** How the coordinator decides: quorum, staleness, breakers and the anti-flap limits. */
public record FailoverPolicy(
        @Nullable Integer quorum,
        Duration staleness,
        Duration lagStaleness,
        Breaker breaker,
        Duration cooldown,
        int maxFailovers,
        Duration failoverWindow) {

    /** The quorum for a number of vantage points: the configured one, or a majority. */
    public int quorumOf(int vantagePoints) {
        return quorum != null ? quorum : vantagePoints / 2 + 1;
    }
}
