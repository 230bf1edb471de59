package io.drplane.backupscheduler.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What carries out backups: the services' own snapshots ({@code native}) or AWS Backup ({@code aws-backup}). Every
 * start is idempotent by the job's name, so an owner that restarts and starts again finds the job it started before.
 * A failing AWS call throws {@link io.drplane.aws.AwsCallException} after its retries.
 */
public interface BackupEngine {

    /** Starts the backup, or finds the one already started under its name. */
    JobStatus startBackup(BackupJob job);

    JobStatus backupStatus(BackupJob job, String jobId);

    /** Starts the copy in the destination region, or finds the one already started under its name. */
    JobStatus startCopy(CopyJob copy);

    JobStatus copyStatus(CopyJob copy, String jobId);

    /**
     * drplane's recovery points of {@code group} in {@code region} (of any of its {@code rules}): what a new owner
     * rebuilds from, and what the lifecycle sweep deletes from.
     */
    List<RecoveryPoint> recoveryPoints(String group, Set<String> rules, String region);

    /**
     * The same, listed now: what a restore test picks its point from must include the copy that landed a moment ago
     * (a sweep may use a listing a few seconds old).
     */
    default List<RecoveryPoint> currentRecoveryPoints(String group, Set<String> rules, String region) {
        return recoveryPoints(group, rules, region);
    }

    /**
     * Moves a recovery point to its service's cold tier once its lifecycle says so; false when the engine has nothing
     * to do (the kind has no cold tier, or the service moves it by itself, as AWS Backup does). Moving one that is
     * cold already is not an error.
     */
    default boolean archive(RecoveryPoint point) {
        return false;
    }

    /** Deletes a recovery point whose retention ended; deleting one that is gone already is not an error. */
    void delete(RecoveryPoint point);

    /**
     * Starts restoring {@code point} in its region as a new resource named {@code name} (tagged as a restore test of
     * the point's group), or finds the restore already started under that name. COMPLETED means available.
     */
    JobStatus startRestore(RecoveryPoint point, String name);

    JobStatus restoreStatus(RecoveryPoint point, String name);

    /**
     * Tells the engine how the restored resource fared in validation, before it is deleted: AWS Backup keeps it with
     * the restore job ({@code PutRestoreValidationResult}); the native engine has nowhere to keep it.
     */
    default void reportValidation(RecoveryPoint point, String name, boolean passed, String message) {}

    /** Where a restored database answers (for a SQL validation); empty for kinds that are no database. */
    default Optional<DatabaseEndpoint> restoredEndpoint(RecoveryPoint point, String name) {
        return Optional.empty();
    }

    /** Deletes what a restore test restored; deleting what is gone already is not an error. */
    void deleteRestored(RecoveryPoint point, String name);

    /** Resources restore tests of {@code group} left in {@code region} (a crash between restore and delete). */
    List<RestoredResource> leftoverRestores(String group, String region);

    /** A resource a restore test made: its kind, region and name. */
    record RestoredResource(ResourceArn.Kind kind, String region, String name) {}
}
