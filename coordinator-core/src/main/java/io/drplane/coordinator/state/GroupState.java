package io.drplane.coordinator.state;

import io.drplane.coordinator.analysis.Analysis;
import io.drplane.events.RegionHealth;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the coordinator knows about one group, immutable. What each vantage point last saw of each region
 * (its last report and its breakers) is keyed {@code region|vantage}.
 *
 * @param primaryDownSince the first quorum-confirmed DOWN of the current primary, while it lasts
 * @param failoverStarts   start times of recent failovers, for the rate limit
 * @param recoveryPoints   per region, the data time of the newest recovery point there (taken there, or copied in)
 * @param links            the live topology: the replication links that exist now, by name (the plan's, or reversed
 *                         by re-protect); null in a state written before the topology was kept, read as the plan's
 * @param reprotect        re-protect after the last failover, until the group is protected again
 */
public record GroupState(
        String group,
        long epoch,
        String primary,
        Map<String, Sighting> sightings,
        Map<String, RegionHealth> regions,
        Map<String, LagView> lags,
        Map<String, Instant> recoveryPoints,
        Analysis analysis,
        @Nullable Instant primaryDownSince,
        @Nullable FailoverRun failover,
        @Nullable Pending pending,
        List<Instant> failoverStarts,
        @Nullable Instant lastFailoverAt,
        Instant now,
        @Nullable String layout,
        @Nullable List<String> links,
        @Nullable ReprotectRun reprotect) {

    public GroupState {
        // SmallMap.of returns a SmallMap as it is: the decider hands back unchanged maps without a copy.
        sightings = SmallMap.of(sightings);
        regions = SmallMap.of(regions);
        lags = SmallMap.of(lags);
        recoveryPoints = recoveryPoints == null ? Map.of() : Map.copyOf(recoveryPoints);
        failoverStarts = List.copyOf(failoverStarts);
        links = links == null ? null : List.copyOf(links);
    }

    /**
     * Whether {@code other} differs only in what a restore can do without: when each vantage point last reported, the
     * decider's clock, and the breakers' sliding-window history that has not moved a breaker (its state, run of
     * failures and opening time are compared). Such a change need not be snapshotted at once: after a restore, fresh
     * reports arrive within a probe interval, and a window misses at most the snapshot refresh interval of results.
     */
    public boolean sameDecisionsAs(GroupState other) {
        if (other == null
                || epoch != other.epoch
                || !primary.equals(other.primary)
                || !regions.equals(other.regions)
                || !lags.equals(other.lags)
                || analysis != other.analysis
                || !recoveryPoints.equals(other.recoveryPoints)
                || !Objects.equals(primaryDownSince, other.primaryDownSince)
                || !Objects.equals(failover, other.failover)
                || !Objects.equals(pending, other.pending)
                || !failoverStarts.equals(other.failoverStarts)
                || !Objects.equals(lastFailoverAt, other.lastFailoverAt)
                || !Objects.equals(links, other.links)
                || !Objects.equals(reprotect, other.reprotect)
                || !sightings.keySet().equals(other.sightings.keySet())) {
            return false;
        }
        for (Map.Entry<String, Sighting> entry : sightings.entrySet()) {
            if (!entry.getValue().sameBreakerStandings(other.sightings.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The same state with an epoch at least {@code highest}: an epoch never goes backwards, so a state restored
     * without its snapshot, or from an older one, takes the highest epoch the executors have seen.
     */
    public GroupState withEpochAtLeast(long highest) {
        if (highest <= epoch) {
            return this;
        }
        return new GroupState(
                group,
                highest,
                primary,
                sightings,
                regions,
                lags,
                recoveryPoints,
                analysis,
                primaryDownSince,
                failover,
                pending,
                failoverStarts,
                lastFailoverAt,
                now,
                layout,
                links,
                reprotect);
    }

    /** The same state with the decider's clock at {@code time}. */
    public GroupState at(Instant time) {
        return new GroupState(
                group,
                epoch,
                primary,
                sightings,
                regions,
                lags,
                recoveryPoints,
                analysis,
                primaryDownSince,
                failover,
                pending,
                failoverStarts,
                lastFailoverAt,
                time,
                layout,
                links,
                reprotect);
    }

    public static String seenKey(String region, String vantage) {
        return region + "|" + vantage;
    }
}
