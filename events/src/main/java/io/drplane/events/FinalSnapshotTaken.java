package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * The RPO-exposure ledger: before re-protect reuses anything, the old primary's data is kept in a snapshot, named
 * here with the lag that was accepted when the failover promoted the new primary. Writes the old primary took that
 * never reached the replica are in this snapshot, to be reconciled.
 *
 * @param rpoExposureMillis the replication lag at promotion: how much of the old primary's last writes may be only
 *                          here (null when it was not known)
 */
public record FinalSnapshotTaken(
        String group,
        String reprotectId,
        String failoverId,
        String region,
        String database,
        String snapshotIdentifier,
        @Nullable Long rpoExposureMillis,
        Instant at,
        Reason reason)
        implements GroupEvent {}
