package io.drplane.coordinator.analysis;

import io.drplane.events.RegionHealth;
import java.util.Map;

/**
 * What the analysis table looks at: the health of every region by quorum, which one is primary, whether the primary's
 * data is replicated anywhere (always, for a group that replicates nothing), whether any link out of it is over the RPO,
 * and whether re-protect is running.
 */
public record Situation(
        String primary,
        Map<String, RegionHealth> regions,
        boolean primaryReplicated,
        boolean lagAboveRpo,
        boolean reprotecting) {

    public RegionHealth primaryHealth() {
        return regions.getOrDefault(primary, RegionHealth.UNKNOWN);
    }

    public boolean anyStandby(RegionHealth health) {
        for (Map.Entry<String, RegionHealth> region : regions.entrySet()) {
            if (region.getValue() == health && !region.getKey().equals(primary)) {
                return true;
            }
        }
        return false;
    }

    public boolean allStandbys(RegionHealth health) {
        for (Map.Entry<String, RegionHealth> region : regions.entrySet()) {
            if (region.getValue() != health && !region.getKey().equals(primary)) {
                return false;
            }
        }
        return true;
    }
}
