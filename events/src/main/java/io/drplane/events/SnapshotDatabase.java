package io.drplane.events;

import java.time.Instant;

/** Take a manual snapshot of a database (an RDS instance or a cluster) and wait until it is available. */
public record SnapshotDatabase(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        Instant issuedAt,
        long timeoutMillis,
        boolean dryRun,
        DatabaseKind databaseKind,
        String databaseIdentifier,
        String snapshotIdentifier,
        Reason reason,
        Evidence evidence)
        implements Command {}
