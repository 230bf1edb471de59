package io.drplane.backupscheduler.engine;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * Where a backup or copy job stands.
 *
 * @param jobId     the engine's id of the job (AWS Backup's job id, or the native snapshot's id)
 * @param pointId   the recovery point's ARN or id, once known
 * @param createdAt when the recovery point's data was taken, once known
 */
public record JobStatus(
        Phase phase,
        String jobId,
        @Nullable String pointId,
        @Nullable Instant createdAt,
        @Nullable Long sizeBytes,
        @Nullable String errorCode,
        @Nullable String message) {

    public enum Phase {
        RUNNING,
        COMPLETED,
        FAILED
    }

    public static JobStatus running(String jobId, @Nullable String pointId) {
        return new JobStatus(Phase.RUNNING, jobId, pointId, null, null, null, null);
    }

    public static JobStatus completed(String jobId, String pointId, Instant createdAt, @Nullable Long sizeBytes) {
        return new JobStatus(Phase.COMPLETED, jobId, pointId, createdAt, sizeBytes, null, null);
    }

    public static JobStatus failed(String jobId, String errorCode, String message) {
        return new JobStatus(Phase.FAILED, jobId, null, null, null, errorCode, message);
    }
}
