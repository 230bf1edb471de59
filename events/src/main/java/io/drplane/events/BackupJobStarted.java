package io.drplane.events;

import java.time.Instant;

/** A backup job started for a backup rule. */
public record BackupJobStarted(
        String group,
        String rule,
        String region,
        String jobId,
        String resourceArn,
        String vaultName,
        Instant scheduledFor,
        Instant startedAt)
        implements GroupEvent {}
