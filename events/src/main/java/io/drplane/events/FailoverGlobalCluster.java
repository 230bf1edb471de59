package io.drplane.events;

import java.time.Instant;

/** Fail over (or switch over) an Aurora global database to a cluster in this region. */
public record FailoverGlobalCluster(
        String group,
        String commandId,
        String failoverId,
        String region,
        long epoch,
        Instant issuedAt,
        long timeoutMillis,
        boolean dryRun,
        String globalClusterIdentifier,
        String targetDbClusterArn,
        boolean allowDataLoss,
        Reason reason,
        Evidence evidence)
        implements Command {}
