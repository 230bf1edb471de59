package io.drplane.coordinator.decider;

import io.drplane.coordinator.analysis.Analysis;
import io.drplane.coordinator.breaker.Breaker;
import io.drplane.events.RegionHealth;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the coordinator knows about one group, immutable. Breakers are keyed {@code region|target|vantage},
 * the last report of each vantage point {@code region|vantage}.
 *
 * @param primaryDownSince the first quorum-confirmed DOWN of the current primary, while it lasts
 * @param failoverStarts   start times of recent failovers, for the rate limit
 */
public record GroupState(String group, long epoch, String primary, Map<String, Breaker> breakers, Map<String, Instant> lastSeen,
                         Map<String, RegionHealth> regions, Map<String, LagView> lags, @Nullable Instant latestRecoveryPoint,
                         Analysis analysis, @Nullable Instant primaryDownSince, @Nullable FailoverRun failover, @Nullable Pending pending,
                         List<Instant> failoverStarts, @Nullable Instant lastFailoverAt, Instant now) {

    public GroupState {
        breakers = Map.copyOf(breakers);
        lastSeen = Map.copyOf(lastSeen);
        regions = Map.copyOf(regions);
        lags = Map.copyOf(lags);
        failoverStarts = List.copyOf(failoverStarts);
    }

    public static String breakerKey(String region, String target, String vantage) {
        return region + "|" + target + "|" + vantage;
    }

    public static String seenKey(String region, String vantage) {
        return region + "|" + vantage;
    }
}
