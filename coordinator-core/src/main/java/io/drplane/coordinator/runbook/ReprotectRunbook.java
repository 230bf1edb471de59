package io.drplane.coordinator.runbook;

import io.drplane.plan.Database;
import io.drplane.plan.Group;
import io.drplane.plan.Region;
import io.drplane.plan.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steps that protect a group again after a failover, all in the old primary's region:
 * <ol>
 *   <li>{@code final-snapshot}: keep the old primary's data before anything is reused (what the failover may have
 *       lost is in it);</li>
 *   <li>{@code fence-old-primary}: rename it, so it takes no writes under its name and the name is free;</li>
 *   <li>{@code create-replica}: a replica of the new primary under the plan's name for this region;</li>
 *   <li>{@code scale-down} (in parallel from the start): the region's compute back to its standby size;</li>
 *   <li>{@code verify}: the replica replicates from the new primary, DNS sends this region nothing, capacity is in
 *       service, and the lag measured on the new link is within the RPO.</li>
 * </ol>
 * An Aurora global database re-adds the old region itself after a managed failover, so it is neither fenced nor
 * re-created; its snapshot is a cluster snapshot. Strategies without a database step (multi-site, backup and restore)
 * have nothing to re-protect but compute.
 */
public record ReprotectRunbook(List<Step> steps) {

    public static final String FINAL_SNAPSHOT = "final-snapshot";
    public static final String FENCE = "fence-old-primary";
    public static final String CREATE_REPLICA = "create-replica";
    public static final String SCALE_DOWN = "scale-down";
    public static final String VERIFY = "verify";

    public static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(60);
    public static final Duration FENCE_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration CREATE_TIMEOUT = Duration.ofMinutes(90);
    /** How long the new link may take to be measured within the RPO once the replica exists. */
    public static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(10);

    /** The runbook, or empty when a failover from {@code oldPrimary} to {@code newPrimary} leaves nothing to re-protect. */
    public static Optional<ReprotectRunbook> forGroup(Group group, String oldPrimary, String newPrimary) {
        Region old = group.region(oldPrimary).orElse(null);
        Region current = group.region(newPrimary).orElse(null);
        if (old == null || current == null) {
            return Optional.empty();
        }
        List<Step> steps = new ArrayList<>();
        List<String> beforeVerify = new ArrayList<>();
        if (replicatesDatabase(group, old, current)) {
            boolean global = old.database().kind() == Database.Kind.AURORA_GLOBAL;
            steps.add(new Step(
                    FINAL_SNAPSHOT, StepAction.SNAPSHOT_DATABASE, List.of(), SNAPSHOT_TIMEOUT, Runbook.RETRIES, false));
            if (global) {
                beforeVerify.add(FINAL_SNAPSHOT);
            } else {
                steps.add(new Step(
                        FENCE,
                        StepAction.FENCE_DATABASE,
                        List.of(FINAL_SNAPSHOT),
                        FENCE_TIMEOUT,
                        Runbook.RETRIES,
                        false));
                steps.add(new Step(
                        CREATE_REPLICA,
                        StepAction.CREATE_REPLICA,
                        List.of(FENCE),
                        CREATE_TIMEOUT,
                        Runbook.RETRIES,
                        false));
                beforeVerify.add(CREATE_REPLICA);
            }
        }
        if (old.compute() != null && group.strategy() != Strategy.MULTI_SITE) {
            steps.add(new Step(
                    SCALE_DOWN, StepAction.SET_CAPACITY, List.of(), Runbook.SCALE_TIMEOUT, Runbook.RETRIES, false));
            beforeVerify.add(SCALE_DOWN);
        }
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        steps.add(new Step(VERIFY, StepAction.VERIFY, beforeVerify, VERIFY_TIMEOUT, Runbook.RETRIES, true));
        return Optional.of(new ReprotectRunbook(List.copyOf(steps)));
    }

    /**
     * Whether the failover promoted a database that can replicate back: both regions have one, the strategy fails
     * over by promoting, and a link (the plan's, or one reversed) can run from the new primary into the old.
     */
    public static boolean replicatesDatabase(Group group, Region old, Region current) {
        return old.database() != null
                && current.database() != null
                && group.strategy() != Strategy.MULTI_SITE
                && group.strategy() != Strategy.BACKUP_AND_RESTORE
                && group.linkBetween(current.name(), old.name()).isPresent();
    }

    /** The name the old primary is fenced under: its own, marked with the epoch of the failover that replaced it. */
    public static String fencedName(String identifier, long failoverEpoch) {
        String suffix = "-fenced-" + failoverEpoch;
        // RDS identifiers are at most 63 characters
        return (identifier.length() + suffix.length() > 63 ? identifier.substring(0, 63 - suffix.length()) : identifier)
                + suffix;
    }

    /** The final snapshot's name: group, region and the failover's epoch, so a retry finds the one it started. */
    public static String snapshotName(String group, String region, long failoverEpoch) {
        return "drplane-" + group + "-" + region + "-final-" + failoverEpoch;
    }
}
