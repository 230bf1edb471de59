package io.drplane.events;

import java.time.Instant;

/**
 * Fence an old primary so it can take no more writes under its name: rename it to {@code fencedIdentifier} (which
 * frees the name for the new replica; applications that connect by name reach nothing). A database already replicating
 * from {@code newPrimaryIdentifier} is the re-protected replica, not the old primary, and is left alone.
 */
public record FenceDatabase(
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
        String fencedIdentifier,
        String newPrimaryIdentifier,
        Reason reason,
        Evidence evidence)
        implements Command {}
