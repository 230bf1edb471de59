package io.drplane.events;

import java.time.Instant;

/** Promote a read replica (RDS instance) or a replica cluster to a standalone primary. */
public record PromoteReplica(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        Instant issuedAt,
        long timeoutMillis,
        boolean dryRun,
        DatabaseKind databaseKind,
        String replicaIdentifier,
        Reason reason,
        Evidence evidence)
        implements Command {}
