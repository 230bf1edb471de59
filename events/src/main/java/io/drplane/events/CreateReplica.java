package io.drplane.events;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * Create a cross-region replica of the primary in this region, under {@code replicaIdentifier}, and wait until it is
 * available and replicating: an RDS read replica ({@code CreateDBInstanceReadReplica}), a replica cluster, or a
 * secondary cluster of an Aurora global database ({@code globalClusterIdentifier}).
 */
public record CreateReplica(
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
        String sourceRegion,
        String sourceIdentifier,
        @Nullable String globalClusterIdentifier,
        Reason reason,
        Evidence evidence)
        implements Command {}
