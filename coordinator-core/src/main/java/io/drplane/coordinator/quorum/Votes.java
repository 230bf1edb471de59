package io.drplane.coordinator.quorum;

import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;

/**
 * What the fresh vantage points say about one region. A vantage point votes DOWN when every target it probes there
 * is failing (its breakers are open), UP when none is, and neither when some are. A vantage point that has not
 * reported within the staleness bound does not vote. DOWN and UP need a quorum; with fewer fresh vantage points
 * than a quorum the region is UNKNOWN and nothing automatic happens.
 */
public record Votes(int down, int up, int partial, int fresh, int quorum) {

    public RegionHealth health() {
        if (fresh < quorum) {
            return RegionHealth.UNKNOWN;
        }
        if (down >= quorum) {
            return RegionHealth.DOWN;
        }
        if (up >= quorum) {
            return RegionHealth.UP;
        }
        return RegionHealth.DEGRADED;
    }

    public Reason reason(String region) {
        return switch (health()) {
            case UNKNOWN -> Reason.of(
                    ReasonCode.QUORUM_LOST,
                    fresh + " fresh vantage point(s) report on " + region + ", fewer than the quorum of " + quorum
                            + ".");
            case DOWN -> Reason.of(
                    ReasonCode.QUORUM_DOWN,
                    down + " of " + fresh + " fresh vantage points see " + region + " down (quorum " + quorum + ").");
            case UP -> Reason.of(
                    ReasonCode.QUORUM_UP,
                    up + " of " + fresh + " fresh vantage points see " + region + " up (quorum " + quorum + ").");
            case DEGRADED -> Reason.of(
                    ReasonCode.QUORUM_PARTIAL,
                    "vantage points disagree on " + region + ": " + down + " down, " + up + " up, " + partial
                            + " partial; no side has the quorum of " + quorum + ".");
        };
    }
}
