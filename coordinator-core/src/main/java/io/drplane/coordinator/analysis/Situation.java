package io.drplane.coordinator.analysis;

import io.drplane.events.RegionHealth;
import java.util.Map;

/**
 * What the analysis table looks at: the health of every region by quorum, which one is primary, whether the primary's
 * data is replicated anywhere (always, for a group that replicates nothing), and whether any link out of it is over the RPO.
 */
public record Situation(String primary, Map<String, RegionHealth> regions, boolean primaryReplicated, boolean lagAboveRpo) {

    public RegionHealth primaryHealth() {
        return regions.getOrDefault(primary, RegionHealth.UNKNOWN);
    }

    public boolean anyStandby(RegionHealth health) {
        return regions.entrySet().stream().anyMatch(e -> !e.getKey().equals(primary) && e.getValue() == health);
    }

    public boolean allStandbys(RegionHealth health) {
        return regions.entrySet().stream().filter(e -> !e.getKey().equals(primary)).allMatch(e -> e.getValue() == health);
    }
}
