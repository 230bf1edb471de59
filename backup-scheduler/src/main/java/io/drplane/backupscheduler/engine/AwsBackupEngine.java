package io.drplane.backupscheduler.engine;

import io.drplane.aws.Attempts;
import io.drplane.aws.AwsCallException;
import io.drplane.aws.AwsErrors;
import io.drplane.aws.AwsService;
import io.drplane.plan.BackupPlan;
import io.drplane.plan.CopyAction;
import io.drplane.plan.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.backup.model.BackupJobState;
import software.amazon.awssdk.services.backup.model.CopyJob;
import software.amazon.awssdk.services.backup.model.CopyJobState;
import software.amazon.awssdk.services.backup.model.DescribeBackupJobResponse;
import software.amazon.awssdk.services.backup.model.DescribeRestoreJobResponse;
import software.amazon.awssdk.services.backup.model.RecoveryPointByBackupVault;
import software.amazon.awssdk.services.backup.model.RecoveryPointStatus;
import software.amazon.awssdk.services.backup.model.RestoreJobStatus;
import software.amazon.awssdk.services.backup.model.RestoreValidationStatus;
import software.amazon.awssdk.services.backup.model.StartBackupJobResponse;

/**
 * Backups by AWS Backup: {@code StartBackupJob} in the group's vault with the run's name as idempotency token, the
 * start and completion windows and the lifecycle; {@code StartCopyJob} from the source vault to each copy region's
 * vault; AWS Backup enforces the lifecycle itself. One engine per group (its vaults and its role).
 */
public final class AwsBackupEngine implements BackupEngine {

    private static final Logger LOG = LoggerFactory.getLogger(AwsBackupEngine.class);

    private final Map<String, RegionClients> regions;
    private final BackupPlan plan;
    private final Supplier<Instant> now;
    /** Restored resources are plain RDS instances, volumes and tables: deleted and swept as the native engine's. */
    private final NativeEngine restores;
    /** Per restore test name, its restore job and what it created (an owner that restarts re-finds them by token). */
    private final Map<String, String> restoreJobs = new ConcurrentHashMap<>();

    private final Map<String, String> restored = new ConcurrentHashMap<>();

    public AwsBackupEngine(Map<String, RegionClients> regions, BackupPlan plan, Supplier<Instant> now) {
        this.regions = Map.copyOf(regions);
        this.plan = plan;
        this.now = now;
        this.restores = new NativeEngine(regions, now);
    }

    @Override
    public JobStatus startBackup(BackupJob job) {
        RegionClients aws = clients(job.region());
        Instant at = now.get();
        Map<String, String> tags = new TreeMap<>();
        tags.put(NativeEngine.TAG_GROUP, job.group());
        tags.put(NativeEngine.TAG_RULE, job.rule());
        tags.put(NativeEngine.TAG_NAME, job.name());
        tags.put(NativeEngine.TAG_SCHEDULED_FOR, job.scheduledFor().toString());
        StartBackupJobResponse started =
                call(aws, "StartBackupJob", () -> aws.backup().startBackupJob(r -> r.backupVaultName(job.vault())
                        .resourceArn(job.resource().arn())
                        .iamRoleArn(plan.iamRole())
                        // the same token for every attempt of the run: AWS Backup answers a repeat with the first job
                        .idempotencyToken(job.name())
                        // AWS counts both windows from the request; ours count from the scheduled time
                        .startWindowMinutes(minutesUntil(at, job.startBy(), 60))
                        .completeWindowMinutes(minutesUntil(at, job.completeBy(), 120))
                        .lifecycle(lifecycle(job.lifecycle()))
                        .recoveryPointTags(tags)));
        return JobStatus.running(started.backupJobId(), started.recoveryPointArn());
    }

    @Override
    public JobStatus backupStatus(BackupJob job, String jobId) {
        RegionClients aws = clients(job.region());
        DescribeBackupJobResponse d =
                call(aws, "DescribeBackupJob", () -> aws.backup().describeBackupJob(r -> r.backupJobId(jobId)));
        BackupJobState state = d.state();
        if (state == BackupJobState.COMPLETED) {
            return JobStatus.completed(jobId, d.recoveryPointArn(), d.creationDate(), d.backupSizeInBytes());
        }
        if (state == BackupJobState.CREATED
                || state == BackupJobState.PENDING
                || state == BackupJobState.RUNNING
                || state == BackupJobState.ABORTING) {
            return JobStatus.running(jobId, d.recoveryPointArn());
        }
        return JobStatus.failed(
                jobId,
                "BackupJob" + d.stateAsString(),
                d.statusMessage() == null ? "the backup job is " + d.stateAsString() : d.statusMessage());
    }

    @Override
    public JobStatus startCopy(io.drplane.backupscheduler.engine.CopyJob copy) {
        // AWS Backup copies from the source vault's region to a destination vault's ARN
        RegionClients source = clients(copy.sourceRegion());
        String destination = "arn:aws:backup:" + copy.destinationRegion() + ":"
                + copy.resource().account() + ":backup-vault:" + copy.destinationVault();
        String id = call(source, "StartCopyJob", () -> source.backup()
                        .startCopyJob(r -> r.recoveryPointArn(copy.sourcePointId())
                                .sourceBackupVaultName(copy.sourceVault())
                                .destinationBackupVaultArn(destination)
                                .iamRoleArn(plan.iamRole())
                                .idempotencyToken(copy.name() + "-" + copy.destinationRegion())
                                .lifecycle(lifecycle(copy.lifecycle()))))
                .copyJobId();
        return JobStatus.running(id, null);
    }

    @Override
    public JobStatus copyStatus(io.drplane.backupscheduler.engine.CopyJob copy, String jobId) {
        RegionClients source = clients(copy.sourceRegion());
        CopyJob job = call(source, "DescribeCopyJob", () -> source.backup().describeCopyJob(r -> r.copyJobId(jobId)))
                .copyJob();
        CopyJobState state = job.state();
        if (state == CopyJobState.COMPLETED) {
            return JobStatus.completed(
                    jobId, job.destinationRecoveryPointArn(), copy.sourceCreatedAt(), job.backupSizeInBytes());
        }
        if (state == CopyJobState.CREATED || state == CopyJobState.RUNNING) {
            return JobStatus.running(jobId, job.destinationRecoveryPointArn());
        }
        return JobStatus.failed(
                jobId,
                "CopyJob" + job.stateAsString(),
                job.statusMessage() == null ? "the copy job is " + job.stateAsString() : job.statusMessage());
    }

    @Override
    public List<RecoveryPoint> recoveryPoints(String group, Set<String> rules, String region) {
        RegionClients aws = clients(region);
        List<RecoveryPoint> points = new ArrayList<>();
        for (String vault : vaultsIn(region)) {
            List<RecoveryPointByBackupVault> listed =
                    call(aws, "ListRecoveryPointsByBackupVault", () -> aws
                            .backup()
                            .listRecoveryPointsByBackupVaultPaginator(r -> r.backupVaultName(vault))
                            .recoveryPoints()
                            .stream()
                            .toList());
            for (RecoveryPointByBackupVault p : listed) {
                if (!plan.resources().contains(p.resourceArn())) {
                    continue;
                }
                Map<String, String> tags = call(
                                aws, "ListTags", () -> aws.backup().listTags(r -> r.resourceArn(p.recoveryPointArn())))
                        .tags();
                String rule = tags.getOrDefault(NativeEngine.TAG_RULE, "");
                if (!tags.getOrDefault(NativeEngine.TAG_GROUP, group).equals(group)) {
                    continue;
                }
                points.add(new RecoveryPoint(
                        p.recoveryPointArn(),
                        region,
                        ResourceArn.parse(p.resourceArn())
                                .map(ResourceArn::kind)
                                .orElse(ResourceArn.Kind.RDS_INSTANCE),
                        group,
                        rule,
                        tags.getOrDefault(NativeEngine.TAG_NAME, p.recoveryPointArn()),
                        p.creationDate(),
                        p.status() == RecoveryPointStatus.COMPLETED,
                        // AWS Backup deletes it then by itself: nothing for the sweep to do before
                        p.calculatedLifecycle() == null
                                ? null
                                : p.calculatedLifecycle().deleteAt()));
            }
        }
        return points;
    }

    @Override
    public void delete(RecoveryPoint point) {
        // AWS Backup enforces the lifecycle it was given; a point past its delete time is on its way out already
    }

    /**
     * {@code StartRestoreJob} with the point's own restore metadata (from {@code GetRecoveryPointRestoreMetadata}),
     * the new resource named {@code name}, and {@code name} as the idempotency token: a re-issue finds the same job.
     */
    @Override
    public JobStatus startRestore(RecoveryPoint point, String name) {
        return restoreStatus(point, name);
    }

    @Override
    public JobStatus restoreStatus(RecoveryPoint point, String name) {
        RegionClients aws = clients(point.region());
        String jobId = restoreJobId(point, name);
        DescribeRestoreJobResponse job =
                call(aws, "DescribeRestoreJob", () -> aws.backup().describeRestoreJob(r -> r.restoreJobId(jobId)));
        RestoreJobStatus status = job.status();
        if (status == RestoreJobStatus.COMPLETED) {
            restored.put(name, job.createdResourceArn());
            return JobStatus.completed(jobId, job.createdResourceArn(), job.completionDate(), job.backupSizeInBytes());
        }
        if (status == RestoreJobStatus.PENDING || status == RestoreJobStatus.RUNNING) {
            return JobStatus.running(jobId, job.createdResourceArn());
        }
        return JobStatus.failed(
                jobId,
                "RestoreJob" + job.statusAsString(),
                job.statusMessage() == null ? "the restore job is " + job.statusAsString() : job.statusMessage());
    }

    @Override
    public void reportValidation(RecoveryPoint point, String name, boolean passed, String message) {
        RegionClients aws = clients(point.region());
        String jobId = restoreJobId(point, name);
        call(aws, "PutRestoreValidationResult", () -> aws.backup().putRestoreValidationResult(r -> r.restoreJobId(jobId)
                .validationStatus(passed ? RestoreValidationStatus.SUCCESSFUL : RestoreValidationStatus.FAILED)
                .validationStatusMessage(message.length() > 1000 ? message.substring(0, 1000) : message)));
    }

    /**
     * What AWS Backup restored is an ordinary RDS instance, Aurora cluster, EBS volume or DynamoDB table: deleted as
     * the native engine deletes its own restores (never kept, no final snapshot). Other kinds (EFS, S3, ...) are left
     * for AWS Backup restore testing's own clean-up, and said so.
     */
    @Override
    public void deleteRestored(RecoveryPoint point, String name) {
        restoreJobs.remove(name);
        String arn = restored.remove(name);
        if (point.kind() == ResourceArn.Kind.OTHER) {
            LOG.warn(
                    "the restore test's {} in {} ({}) is a kind drplane does not delete; delete it by hand",
                    name,
                    point.region(),
                    arn == null ? "not created" : arn);
            return;
        }
        if (point.kind() == ResourceArn.Kind.EBS_VOLUME) {
            // a volume AWS Backup restored carries none of drplane's tags: it is found by the ARN the job gave
            if (arn != null) {
                RegionClients aws = clients(point.region());
                String volumeId = arn.substring(arn.lastIndexOf('/') + 1);
                try {
                    aws.calls().call(AwsService.EC2, "DeleteVolume", new Attempts(), () -> aws.ec2()
                            .deleteVolume(r -> r.volumeId(volumeId)));
                } catch (AwsCallException e) {
                    if (!AwsErrors.notFound(e)) {
                        throw e;
                    }
                }
            }
            return;
        }
        restores.deleteRestored(point, name);
    }

    /** What AWS Backup restored is an ordinary RDS instance or Aurora cluster: found as the native engine finds its own. */
    @Override
    public Optional<DatabaseEndpoint> restoredEndpoint(RecoveryPoint point, String name) {
        return restores.restoredEndpoint(point, name);
    }

    @Override
    public List<RestoredResource> leftoverRestores(String group, String region) {
        return restores.leftoverRestores(group, region);
    }

    private String restoreJobId(RecoveryPoint point, String name) {
        String known = restoreJobs.get(name);
        if (known != null) {
            return known;
        }
        RegionClients aws = clients(point.region());
        Map<String, String> metadata = new TreeMap<>(restoreMetadata(aws, point));
        switch (point.kind()) {
            case RDS_INSTANCE -> metadata.put("DBInstanceIdentifier", name);
            case RDS_CLUSTER -> metadata.put("DBClusterIdentifier", name);
            case DYNAMODB_TABLE -> metadata.put("targetTableName", name);
            case OTHER -> {
                metadata.put("newFileSystem", "true");
                metadata.put("CreationToken", name);
            }
            case EBS_VOLUME -> {}
        }
        String jobId = call(
                        aws, "StartRestoreJob", () -> aws.backup().startRestoreJob(r -> r.recoveryPointArn(point.id())
                                .iamRoleArn(plan.iamRole())
                                .idempotencyToken(name)
                                .metadata(metadata)))
                .restoreJobId();
        restoreJobs.put(name, jobId);
        return jobId;
    }

    /** The configuration the resource had when it was backed up, from the vault in the point's region that holds it. */
    private Map<String, String> restoreMetadata(RegionClients aws, RecoveryPoint point) {
        AwsCallException last = null;
        for (String vault : vaultsIn(point.region())) {
            try {
                return call(aws, "GetRecoveryPointRestoreMetadata", () -> aws.backup()
                                .getRecoveryPointRestoreMetadata(
                                        r -> r.backupVaultName(vault).recoveryPointArn(point.id())))
                        .restoreMetadata();
            } catch (AwsCallException e) {
                if (!AwsErrors.notFound(e)) {
                    throw e;
                }
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        return Map.of();
    }

    private List<String> vaultsIn(String region) {
        List<String> vaults = new ArrayList<>();
        if (plan.region().equals(region)) {
            vaults.add(plan.vault());
        }
        plan.rules().stream()
                .flatMap(r -> r.copyTo().stream())
                .filter(c -> c.region().equals(region))
                .map(CopyAction::vault)
                .distinct()
                .forEach(vaults::add);
        return vaults;
    }

    private static software.amazon.awssdk.services.backup.model.Lifecycle lifecycle(Lifecycle lifecycle) {
        var builder = software.amazon.awssdk.services.backup.model.Lifecycle.builder();
        if (lifecycle.deleteAfterDays() != null) {
            builder.deleteAfterDays(lifecycle.deleteAfterDays().longValue());
        }
        if (lifecycle.moveToColdStorageAfterDays() != null) {
            builder.moveToColdStorageAfterDays(
                    lifecycle.moveToColdStorageAfterDays().longValue());
        }
        return builder.build();
    }

    /** Whole minutes from {@code now} to {@code until}, at least AWS Backup's minimum for the window. */
    private static long minutesUntil(Instant now, Instant until, long minimum) {
        return Math.max(minimum, Duration.between(now, until).toMinutes());
    }

    private RegionClients clients(String region) {
        RegionClients clients = regions.get(region);
        if (clients == null) {
            throw new IllegalStateException("no AWS clients for " + region);
        }
        return clients;
    }

    private static <T> T call(RegionClients aws, String operation, Supplier<T> call) {
        return aws.calls().call(AwsService.BACKUP, operation, new Attempts(), call);
    }
}
