package io.drplane.events;

import java.time.Instant;

/** A backup job failed. */
public record BackupJobFailed(
        String group, String rule, String region, String jobId, String errorCode, String message, Instant failedAt)
        implements GroupEvent {}
