package io.drplane.plan;

import jakarta.annotation.Nullable;
import java.time.Duration;

/**
 * How the coordinator decides: quorum, staleness, breakers, the anti-flap limits, how far an observer's clock may be
 * off, and how long an approval holds.
 *
 * @param maxClockSkew   how far ahead of the coordinator's clock an observation's time may be; one further ahead is
 *                       refused (an observer with a wrong clock must not move the coordinator's time)
 * @param approvalExpiry how long an operator's approval of a held failover holds before it must be given again
 */
public record FailoverPolicy(
        @Nullable Integer quorum,
        Duration staleness,
        Duration lagStaleness,
        Breaker breaker,
        Duration cooldown,
        int maxFailovers,
        Duration failoverWindow,
        Duration maxClockSkew,
        Duration approvalExpiry) {

    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(5);
    public static final Duration DEFAULT_APPROVAL_EXPIRY = Duration.ofMinutes(15);

    /** A policy with the default clock skew bound and approval expiry. */
    public FailoverPolicy(
            @Nullable Integer quorum,
            Duration staleness,
            Duration lagStaleness,
            Breaker breaker,
            Duration cooldown,
            int maxFailovers,
            Duration failoverWindow) {
        this(
                quorum,
                staleness,
                lagStaleness,
                breaker,
                cooldown,
                maxFailovers,
                failoverWindow,
                DEFAULT_MAX_CLOCK_SKEW,
                DEFAULT_APPROVAL_EXPIRY);
    }

    /** The quorum for a number of vantage points: the configured one, or a majority. */
    public int quorumOf(int vantagePoints) {
        return quorum != null ? quorum : vantagePoints / 2 + 1;
    }
}
