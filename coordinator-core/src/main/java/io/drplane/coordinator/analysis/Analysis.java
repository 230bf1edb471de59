package io.drplane.coordinator.analysis;

import io.drplane.events.ReasonCode;
import io.drplane.events.RegionHealth;
import java.util.function.Predicate;

/**
 * The situation of a group, named for what was observed, assigned by one ordered rule table: the first row whose
 * condition holds wins. Each code's description is {@link ReasonCode#description()}.
 */
public enum Analysis {
    OBSERVERS_INSUFFICIENT(ReasonCode.OBSERVERS_INSUFFICIENT, s -> s.primaryHealth() == RegionHealth.UNKNOWN),
    BOTH_REGIONS_DOWN(
            ReasonCode.BOTH_REGIONS_DOWN,
            s -> s.primaryHealth() == RegionHealth.DOWN && s.allStandbys(RegionHealth.DOWN)),
    PRIMARY_REGION_DOWN(ReasonCode.PRIMARY_REGION_DOWN, s -> s.primaryHealth() == RegionHealth.DOWN),
    PRIMARY_PARTIALLY_UNREACHABLE(
            ReasonCode.PRIMARY_PARTIALLY_UNREACHABLE, s -> s.primaryHealth() == RegionHealth.DEGRADED),
    STANDBY_DOWN(ReasonCode.STANDBY_DOWN, s -> s.anyStandby(RegionHealth.DOWN)),
    // A standby that is degraded or not yet seen by a quorum is not "healthy": saying so would hide that a failover
    // now would be refused.
    STANDBY_NOT_HEALTHY(ReasonCode.STANDBY_NOT_HEALTHY, s -> !s.allStandbys(RegionHealth.UP)),
    // After a failover the new primary runs without a replica until re-protect has made one in the old region.
    REPROTECTING(ReasonCode.REPROTECTING, s -> !s.primaryReplicated() && s.reprotecting()),
    // Not ALL_HEALTHY, though every region is up: re-protect is held (for approval, or on a failed step), or there is
    // nothing it can re-protect.
    PRIMARY_NOT_REPLICATED(ReasonCode.PRIMARY_NOT_REPLICATED, s -> !s.primaryReplicated()),
    REPLICATION_LAG_ABOVE_RPO(ReasonCode.REPLICATION_LAG_ABOVE_RPO, Situation::lagAboveRpo),
    ALL_HEALTHY(ReasonCode.ALL_HEALTHY, s -> true);

    private final ReasonCode code;
    private final Predicate<Situation> when;

    Analysis(ReasonCode code, Predicate<Situation> when) {
        this.code = code;
        this.when = when;
    }

    public ReasonCode code() {
        return code;
    }

    public String description() {
        return code.description();
    }

    /** The table's rows in order; values() would copy the array on every decision. */
    private static final Analysis[] ROWS = values();

    /** The first row of the table that holds. */
    public static Analysis of(Situation situation) {
        for (Analysis row : ROWS) {
            if (row.when.test(situation)) {
                return row;
            }
        }
        throw new IllegalStateException("the last row always holds");
    }
}
