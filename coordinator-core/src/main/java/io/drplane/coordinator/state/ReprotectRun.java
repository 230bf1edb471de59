package io.drplane.coordinator.state;

import io.drplane.events.ReasonCode;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Re-protect after a failover: put a replica of the new primary into the old primary's region, so the group can fail
 * over again (and fail back). Needed from the failover's completion; started when the old region is UP by quorum and
 * the mode allows; done when the new link replicates within the RPO.
 *
 * @param failoverEpoch     the epoch of the failover it follows (names its snapshot and its fenced database)
 * @param rpoExposureMillis the lag accepted when that failover promoted the new primary (null when unknown)
 * @param regionUpAt        when the old region was first seen UP by quorum after the failover: time-to-reprotect
 *                          counts from here
 * @param epoch             the epoch its commands carry, 0 until it starts
 * @param heldFor           the hold last announced, so each is said once
 */
public record ReprotectRun(
        String id,
        String failoverId,
        long failoverEpoch,
        String oldPrimary,
        String newPrimary,
        @Nullable Long rpoExposureMillis,
        Instant neededSince,
        @Nullable Instant regionUpAt,
        long epoch,
        @Nullable Instant startedAt,
        @Nullable ReasonCode heldFor,
        @Nullable String approvedBy,
        Map<String, StepRun> steps)
        implements StepsRun<ReprotectRun> {

    public ReprotectRun {
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    public static ReprotectRun needed(
            String group,
            String failoverId,
            long failoverEpoch,
            String oldPrimary,
            String newPrimary,
            @Nullable Long rpoExposureMillis,
            Instant at,
            Map<String, StepRun> steps) {
        return new ReprotectRun(
                group + "-reprotect-" + failoverEpoch,
                failoverId,
                failoverEpoch,
                oldPrimary,
                newPrimary,
                rpoExposureMillis,
                at,
                null,
                0,
                null,
                null,
                null,
                steps);
    }

    public boolean started() {
        return startedAt != null;
    }

    @Override
    public boolean dryRun() {
        return false;
    }

    @Override
    public ReprotectRun withStep(String name, StepRun run) {
        Map<String, StepRun> next = new LinkedHashMap<>(steps);
        next.put(name, run);
        return new ReprotectRun(
                id,
                failoverId,
                failoverEpoch,
                oldPrimary,
                newPrimary,
                rpoExposureMillis,
                neededSince,
                regionUpAt,
                epoch,
                startedAt,
                heldFor,
                approvedBy,
                next);
    }

    public ReprotectRun heldFor(@Nullable ReasonCode code) {
        return new ReprotectRun(
                id,
                failoverId,
                failoverEpoch,
                oldPrimary,
                newPrimary,
                rpoExposureMillis,
                neededSince,
                regionUpAt,
                epoch,
                startedAt,
                code,
                approvedBy,
                steps);
    }

    public ReprotectRun regionUp(Instant at) {
        return regionUpAt != null
                ? this
                : new ReprotectRun(
                        id,
                        failoverId,
                        failoverEpoch,
                        oldPrimary,
                        newPrimary,
                        rpoExposureMillis,
                        neededSince,
                        at,
                        epoch,
                        startedAt,
                        heldFor,
                        approvedBy,
                        steps);
    }

    public ReprotectRun approvedBy(String principal) {
        return new ReprotectRun(
                id,
                failoverId,
                failoverEpoch,
                oldPrimary,
                newPrimary,
                rpoExposureMillis,
                neededSince,
                regionUpAt,
                epoch,
                startedAt,
                heldFor,
                principal,
                steps);
    }

    public ReprotectRun start(long commandEpoch, Instant at) {
        return new ReprotectRun(
                id,
                failoverId,
                failoverEpoch,
                oldPrimary,
                newPrimary,
                rpoExposureMillis,
                neededSince,
                regionUpAt,
                commandEpoch,
                at,
                null,
                approvedBy,
                steps);
    }
}
