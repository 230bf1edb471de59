package io.drplane.backupscheduler.engine;

import io.drplane.aws.Attempts;
import io.drplane.aws.AwsCallException;
import io.drplane.aws.AwsErrors;
import io.drplane.aws.AwsService;
import io.drplane.backupscheduler.schedule.TimeScale;
import io.drplane.plan.Lifecycle;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.BackupDescription;
import software.amazon.awssdk.services.dynamodb.model.BackupStatus;
import software.amazon.awssdk.services.dynamodb.model.BackupSummary;
import software.amazon.awssdk.services.dynamodb.model.BackupTypeFilter;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.TargetStorageTier;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Backups with the services' own snapshots: RDS instance snapshots, Aurora cluster snapshots, EBS snapshots and
 * DynamoDB on-demand backups, copied across regions by the destination region's client. The job's name is the
 * snapshot's identifier (RDS), its {@code drplane:name} tag (EBS) or its backup name (DynamoDB), so a start that runs
 * twice finds the first. Native snapshots never expire by themselves: each carries its {@code drplane:delete-after}
 * and the scheduler deletes it then.
 */
public final class NativeEngine implements BackupEngine {

    public static final String TAG_GROUP = "drplane:group";
    public static final String TAG_RULE = "drplane:rule";
    public static final String TAG_NAME = "drplane:name";
    public static final String TAG_SCHEDULED_FOR = "drplane:scheduled-for";
    public static final String TAG_DELETE_AFTER = "drplane:delete-after";
    public static final String TAG_SOURCE_CREATED_AT = "drplane:source-created-at";
    public static final String TAG_RESTORE_TEST = "drplane:restore-test";

    private final Map<String, RegionClients> regions;
    private final Supplier<Instant> now;
    private final TimeScale scale;
    private final Duration inventoryTtl;
    private final Map<String, RegionInventory> inventories = new ConcurrentHashMap<>();
    private final Map<String, Object> inventoryLocks = new ConcurrentHashMap<>();

    /** {@code regions}: the clients of every region a plan backs up in or copies to; each sweep lists afresh. */
    public NativeEngine(Map<String, RegionClients> regions, Supplier<Instant> now) {
        this(regions, now, TimeScale.REAL, Duration.ZERO);
    }

    /**
     * The same, with retention counted on {@code scale}'s clock (drplane deletes native points itself), and one
     * listing of a region's points shared by every group that sweeps within {@code inventoryTtl}.
     */
    public NativeEngine(
            Map<String, RegionClients> regions, Supplier<Instant> now, TimeScale scale, Duration inventoryTtl) {
        this.regions = Map.copyOf(regions);
        this.now = now;
        this.scale = scale;
        this.inventoryTtl = inventoryTtl;
    }

    @Override
    public JobStatus startBackup(BackupJob job) {
        Map<String, String> tags = tags(job.group(), job.rule(), job.name(), job.scheduledFor(), job.lifecycle(), null);
        RegionClients aws = clients(job.region());
        ResourceArn resource = job.resource();
        return switch (resource.kind()) {
            case RDS_INSTANCE -> findDbSnapshot(aws, job.name())
                    .map(NativeEngine::status)
                    .orElseGet(() -> status(call(aws, AwsService.RDS, "CreateDBSnapshot", () -> aws.rds()
                            .createDBSnapshot(r -> r.dbSnapshotIdentifier(job.name())
                                    .dbInstanceIdentifier(resource.name())
                                    .tags(rdsTags(tags)))
                            .dbSnapshot())));
            case RDS_CLUSTER -> findClusterSnapshot(aws, job.name())
                    .map(NativeEngine::status)
                    .orElseGet(() -> status(call(aws, AwsService.RDS, "CreateDBClusterSnapshot", () -> aws.rds()
                            .createDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier(job.name())
                                    .dbClusterIdentifier(resource.name())
                                    .tags(rdsTags(tags)))
                            .dbClusterSnapshot())));
            case EBS_VOLUME -> findEbsSnapshot(aws, job.name())
                    .map(s -> status(s, null))
                    .orElseGet(() -> {
                        var created = call(aws, AwsService.EC2, "CreateSnapshot", () -> aws.ec2()
                                .createSnapshot(r -> r.volumeId(resource.name())
                                        .description(job.name())
                                        .tagSpecifications(ec2Tags(tags))));
                        return ebsStatus(created.snapshotId(), created.stateAsString(), created.startTime(), null);
                    });
            case DYNAMODB_TABLE -> findDynamoBackup(aws, resource.name(), job.name())
                    .map(summary -> dynamoStatus(aws, summary.backupArn()))
                    .orElseGet(() -> {
                        var details = call(aws, AwsService.DYNAMODB, "CreateBackup", () -> aws.dynamoDb()
                                        .createBackup(r ->
                                                r.tableName(resource.name()).backupName(job.name())))
                                .backupDetails();
                        return dynamoStatus(
                                details.backupArn(),
                                details.backupStatus(),
                                details.backupCreationDateTime(),
                                details.backupSizeBytes());
                    });
            case OTHER -> throw notNative(resource.arn());
        };
    }

    @Override
    public JobStatus backupStatus(BackupJob job, String jobId) {
        RegionClients aws = clients(job.region());
        return switch (job.resource().kind()) {
            case RDS_INSTANCE -> findDbSnapshot(aws, job.name())
                    .map(NativeEngine::status)
                    .orElse(JobStatus.failed(jobId, "SnapshotGone", "the snapshot " + job.name() + " is gone"));
            case RDS_CLUSTER -> findClusterSnapshot(aws, job.name())
                    .map(NativeEngine::status)
                    .orElse(JobStatus.failed(jobId, "SnapshotGone", "the snapshot " + job.name() + " is gone"));
            case EBS_VOLUME -> ebsSnapshot(aws, jobId)
                    .map(s -> status(s, null))
                    .orElse(JobStatus.failed(jobId, "SnapshotGone", "the snapshot " + job.name() + " is gone"));
            case DYNAMODB_TABLE -> dynamoStatus(aws, jobId);
            case OTHER -> throw notNative(job.resource().arn());
        };
    }

    @Override
    public JobStatus startCopy(CopyJob copy) {
        RegionClients to = clients(copy.destinationRegion());
        Map<String, String> tags =
                tags(copy.group(), copy.rule(), copy.name(), null, copy.lifecycle(), copy.sourceCreatedAt());
        return switch (copy.resource().kind()) {
            case RDS_INSTANCE -> findDbSnapshot(to, copy.name())
                    .map(NativeEngine::status)
                    .orElseGet(() -> status(call(to, AwsService.RDS, "CopyDBSnapshot", () -> to.rds()
                            .copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(copy.sourcePointId())
                                    .targetDBSnapshotIdentifier(copy.name())
                                    .sourceRegion(copy.sourceRegion())
                                    .tags(rdsTags(tags)))
                            .dbSnapshot())));
            case RDS_CLUSTER -> findClusterSnapshot(to, copy.name())
                    .map(NativeEngine::status)
                    .orElseGet(() -> status(call(to, AwsService.RDS, "CopyDBClusterSnapshot", () -> to.rds()
                            .copyDBClusterSnapshot(r -> r.sourceDBClusterSnapshotIdentifier(copy.sourcePointId())
                                    .targetDBClusterSnapshotIdentifier(copy.name())
                                    .sourceRegion(copy.sourceRegion())
                                    .tags(rdsTags(tags)))
                            .dbClusterSnapshot())));
            case EBS_VOLUME -> findEbsSnapshot(to, copy.name())
                    .map(s -> status(s, copy.sourceCreatedAt()))
                    .orElseGet(() -> {
                        String id = call(to, AwsService.EC2, "CopySnapshot", () -> to.ec2()
                                        .copySnapshot(r -> r.sourceRegion(copy.sourceRegion())
                                                // named, so the SDK need not read it from the endpoint's host
                                                .destinationRegion(copy.destinationRegion())
                                                .sourceSnapshotId(copy.sourcePointId())
                                                .description(copy.name())
                                                .tagSpecifications(ec2Tags(tags))))
                                .snapshotId();
                        return JobStatus.running(id, id);
                    });
            case DYNAMODB_TABLE -> JobStatus.failed(
                    copy.name(),
                    "CopyNotSupported",
                    "DynamoDB on-demand backups cannot be copied to another region by DynamoDB itself: use the"
                            + " aws-backup engine for " + copy.resource().arn());
            case OTHER -> throw notNative(copy.resource().arn());
        };
    }

    @Override
    public JobStatus copyStatus(CopyJob copy, String jobId) {
        RegionClients to = clients(copy.destinationRegion());
        return switch (copy.resource().kind()) {
            case RDS_INSTANCE -> findDbSnapshot(to, copy.name())
                    .map(NativeEngine::status)
                    .orElse(JobStatus.failed(jobId, "SnapshotGone", "the copy " + copy.name() + " is gone"));
            case RDS_CLUSTER -> findClusterSnapshot(to, copy.name())
                    .map(NativeEngine::status)
                    .orElse(JobStatus.failed(jobId, "SnapshotGone", "the copy " + copy.name() + " is gone"));
            case EBS_VOLUME -> findEbsSnapshot(to, copy.name())
                    .map(s -> status(s, copy.sourceCreatedAt()))
                    .orElse(JobStatus.failed(jobId, "SnapshotGone", "the copy " + copy.name() + " is gone"));
            case DYNAMODB_TABLE -> JobStatus.failed(jobId, "CopyNotSupported", "not copied");
            case OTHER -> throw notNative(copy.resource().arn());
        };
    }

    @Override
    public List<RecoveryPoint> recoveryPoints(String group, Set<String> rules, String region) {
        return points(group, rules, region, inventory(region, false));
    }

    @Override
    public List<RecoveryPoint> currentRecoveryPoints(String group, Set<String> rules, String region) {
        return points(group, rules, region, inventory(region, true));
    }

    private List<RecoveryPoint> points(String group, Set<String> rules, String region, RegionInventory inventory) {
        List<RecoveryPoint> points = new ArrayList<>();
        for (DBSnapshot s : inventory.instances()) {
            Map<String, String> tags = rdsTags(s.tagList());
            if (group.equals(tags.get(TAG_GROUP))) {
                Instant dataTime = Optional.ofNullable(s.originalSnapshotCreateTime())
                        .or(() -> Optional.ofNullable(s.snapshotCreateTime()))
                        .orElse(now.get());
                points.add(point(
                        s.dbSnapshotIdentifier(),
                        region,
                        ResourceArn.Kind.RDS_INSTANCE,
                        tags,
                        dataTime,
                        "available".equals(s.status())));
            }
        }
        for (DBClusterSnapshot s : inventory.clusters()) {
            Map<String, String> tags = rdsTags(s.tagList());
            if (group.equals(tags.get(TAG_GROUP))) {
                Instant dataTime = sourceCreatedAt(tags).orElse(s.snapshotCreateTime());
                points.add(point(
                        s.dbClusterSnapshotIdentifier(),
                        region,
                        ResourceArn.Kind.RDS_CLUSTER,
                        tags,
                        dataTime == null ? now.get() : dataTime,
                        "available".equals(s.status())));
            }
        }
        for (Snapshot s : inventory.volumes()) {
            if (!group.equals(ec2Tags(s.tags()).get(TAG_GROUP))) {
                continue;
            }
            Map<String, String> tags = ec2Tags(s.tags());
            Instant dataTime = sourceCreatedAt(tags).orElse(s.startTime());
            points.add(point(
                    s.snapshotId(),
                    region,
                    ResourceArn.Kind.EBS_VOLUME,
                    tags,
                    dataTime,
                    s.state() == SnapshotState.COMPLETED));
        }
        for (BackupSummary b : inventory.tables()) {
            // DynamoDB backups take no tags: the name says whose it is
            for (String rule : rules) {
                if (b.backupName().startsWith("drplane-" + group + "-" + rule + "-")) {
                    Map<String, String> tags = Map.of(TAG_GROUP, group, TAG_RULE, rule, TAG_NAME, b.backupName());
                    points.add(point(
                            b.backupArn(),
                            region,
                            ResourceArn.Kind.DYNAMODB_TABLE,
                            tags,
                            b.backupCreationDateTime(),
                            b.backupStatus() == BackupStatus.AVAILABLE));
                }
            }
        }
        return points;
    }

    /** Every drplane point in a region, listed once for all the groups that sweep within {@link #inventoryTtl}. */
    private record RegionInventory(
            Instant listedAt,
            List<DBSnapshot> instances,
            List<DBClusterSnapshot> clusters,
            List<Snapshot> volumes,
            List<BackupSummary> tables) {}

    /**
     * The region's inventory, listed again once it is older than {@link #inventoryTtl}. A sweep with a listing a few
     * seconds old misses only points made since, which their own events tell of, and deletes nothing twice (a point
     * already gone is not an error); a listing per group would make a thousand groups a thousand listings.
     */
    private RegionInventory inventory(String region, boolean fresh) {
        Object lock = inventoryLocks.computeIfAbsent(region, r -> new Object());
        synchronized (lock) {
            RegionInventory known = inventories.get(region);
            Instant at = now.get();
            if (!fresh
                    && known != null
                    && Duration.between(known.listedAt(), at).compareTo(inventoryTtl) < 0) {
                return known;
            }
            RegionClients aws = clients(region);
            RegionInventory listed =
                    new RegionInventory(
                            at,
                            call(
                                    aws, AwsService.RDS, "DescribeDBSnapshots", () -> aws
                                            .rds()
                                            .describeDBSnapshotsPaginator(r -> r.snapshotType("manual"))
                                            .dbSnapshots()
                                            .stream()
                                            .filter(s -> rdsTags(s.tagList()).containsKey(TAG_GROUP))
                                            .toList()),
                            call(aws, AwsService.RDS, "DescribeDBClusterSnapshots", () -> aws
                                    .rds()
                                    .describeDBClusterSnapshotsPaginator(r -> r.snapshotType("manual"))
                                    .dbClusterSnapshots()
                                    .stream()
                                    .filter(s -> rdsTags(s.tagList()).containsKey(TAG_GROUP))
                                    .toList()),
                            call(aws, AwsService.EC2, "DescribeSnapshots", () -> aws
                                    .ec2()
                                    .describeSnapshotsPaginator(r -> r.ownerIds("self")
                                            .filters(Filter.builder()
                                                    .name("tag-key")
                                                    .values(TAG_GROUP)
                                                    .build()))
                                    .snapshots()
                                    .stream()
                                    .toList()),
                            dynamoBackups(aws, null).stream()
                                    .filter(b -> b.backupName().startsWith("drplane-"))
                                    .toList());
            inventories.put(region, listed);
            return listed;
        }
    }

    /**
     * EBS snapshots go to the archive tier ({@code ModifySnapshotTier}); RDS, Aurora and DynamoDB snapshots have no
     * cold tier of their own (AWS Backup does not move them either).
     */
    @Override
    public boolean archive(RecoveryPoint point) {
        if (point.kind() != ResourceArn.Kind.EBS_VOLUME) {
            return false;
        }
        RegionClients aws = clients(point.region());
        try {
            call(aws, AwsService.EC2, "ModifySnapshotTier", () -> aws.ec2()
                    .modifySnapshotTier(r -> r.snapshotId(point.id()).storageTier(TargetStorageTier.ARCHIVE)));
        } catch (AwsCallException e) {
            // archived already, or being archived: the lifecycle is met
            if (!notFound(e) && !e.errorCode().startsWith("IncorrectState")) {
                throw e;
            }
        }
        return true;
    }

    @Override
    public void delete(RecoveryPoint point) {
        RegionClients aws = clients(point.region());
        try {
            switch (point.kind()) {
                case RDS_INSTANCE -> call(aws, AwsService.RDS, "DeleteDBSnapshot", () -> aws.rds()
                        .deleteDBSnapshot(r -> r.dbSnapshotIdentifier(point.id())));
                case RDS_CLUSTER -> call(aws, AwsService.RDS, "DeleteDBClusterSnapshot", () -> aws.rds()
                        .deleteDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier(point.id())));
                case EBS_VOLUME -> call(aws, AwsService.EC2, "DeleteSnapshot", () -> aws.ec2()
                        .deleteSnapshot(r -> r.snapshotId(point.id())));
                case DYNAMODB_TABLE -> call(aws, AwsService.DYNAMODB, "DeleteBackup", () -> aws.dynamoDb()
                        .deleteBackup(r -> r.backupArn(point.id())));
            }
        } catch (AwsCallException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
    }

    // restore tests

    @Override
    public JobStatus startRestore(RecoveryPoint point, String name) {
        RegionClients aws = clients(point.region());
        List<Tag> tags = rdsTags(Map.of(TAG_RESTORE_TEST, point.group()));
        switch (point.kind()) {
            case RDS_INSTANCE -> {
                if (findDbInstance(aws, name).isEmpty()) {
                    call(aws, AwsService.RDS, "RestoreDBInstanceFromDBSnapshot", () -> aws.rds()
                            .restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier(name)
                                    .dbSnapshotIdentifier(point.id())
                                    .tags(tags)));
                }
            }
            case RDS_CLUSTER -> {
                if (findDbCluster(aws, name).isEmpty()) {
                    String engine = findClusterSnapshot(aws, point.id())
                            .map(DBClusterSnapshot::engine)
                            .orElse("aurora-postgresql");
                    call(aws, AwsService.RDS, "RestoreDBClusterFromSnapshot", () -> aws.rds()
                            .restoreDBClusterFromSnapshot(r -> r.dbClusterIdentifier(name)
                                    .snapshotIdentifier(point.id())
                                    .engine(engine)
                                    .tags(tags)));
                }
            }
            case EBS_VOLUME -> {
                if (findRestoredVolume(aws, name).isEmpty()) {
                    call(aws, AwsService.EC2, "CreateVolume", () -> aws.ec2().createVolume(r -> r.snapshotId(point.id())
                            .availabilityZone(point.region() + "a")
                            .tagSpecifications(TagSpecification.builder()
                                    .resourceType(ResourceType.VOLUME)
                                    .tags(ec2Tag(TAG_RESTORE_TEST, point.group()), ec2Tag(TAG_NAME, name))
                                    .build())));
                }
            }
            case DYNAMODB_TABLE -> {
                if (!tableExists(aws, name)) {
                    call(aws, AwsService.DYNAMODB, "RestoreTableFromBackup", () -> aws.dynamoDb()
                            .restoreTableFromBackup(r -> r.targetTableName(name).backupArn(point.id())));
                }
            }
        }
        return restoreStatus(point, name);
    }

    @Override
    public JobStatus restoreStatus(RecoveryPoint point, String name) {
        RegionClients aws = clients(point.region());
        String state =
                switch (point.kind()) {
                    case RDS_INSTANCE -> findDbInstance(aws, name)
                            .map(i -> i.dbInstanceStatus())
                            .orElse("gone");
                    case RDS_CLUSTER -> findDbCluster(aws, name)
                            .map(c -> c.status())
                            .orElse("gone");
                    case EBS_VOLUME -> findRestoredVolume(aws, name)
                            .map(v -> v.stateAsString())
                            .orElse("gone");
                    case DYNAMODB_TABLE -> tableStatus(aws, name);
                    case OTHER -> throw notNative(point.id());
                };
        return switch (state.toLowerCase(java.util.Locale.ROOT)) {
            case "available", "active" -> JobStatus.completed(name, name, point.dataTime(), null);
            case "creating",
                    "backing-up",
                    "modifying",
                    "configuring-enhanced-monitoring",
                    "storage-optimization" -> JobStatus.running(name, name);
            default -> JobStatus.failed(name, "Restore" + capitalized(state), "the restored resource is " + state);
        };
    }

    @Override
    public void deleteRestored(RecoveryPoint point, String name) {
        deleteRestored(new RestoredResource(point.kind(), point.region(), name));
    }

    @Override
    public Optional<DatabaseEndpoint> restoredEndpoint(RecoveryPoint point, String name) {
        RegionClients aws = clients(point.region());
        return switch (point.kind()) {
            case RDS_INSTANCE -> findDbInstance(aws, name)
                    .filter(i -> i.endpoint() != null)
                    .map(i -> new DatabaseEndpoint(
                            i.endpoint().address(), i.endpoint().port(), i.engine()));
            case RDS_CLUSTER -> first(aws, AwsService.RDS, "DescribeDBClusters", () -> aws.rds()
                            .describeDBClusters(r -> r.dbClusterIdentifier(name))
                            .dbClusters())
                    .filter(c -> c.endpoint() != null)
                    .map(c -> new DatabaseEndpoint(c.endpoint(), c.port(), c.engine()));
            default -> Optional.empty();
        };
    }

    /** Deletes a restore test's resource: never kept, never a final snapshot. */
    public void deleteRestored(RestoredResource resource) {
        RegionClients aws = clients(resource.region());
        String name = resource.name();
        try {
            switch (resource.kind()) {
                case RDS_INSTANCE -> call(aws, AwsService.RDS, "DeleteDBInstance", () -> aws.rds()
                        .deleteDBInstance(r -> r.dbInstanceIdentifier(name).skipFinalSnapshot(true)));
                case RDS_CLUSTER -> call(aws, AwsService.RDS, "DeleteDBCluster", () -> aws.rds()
                        .deleteDBCluster(r -> r.dbClusterIdentifier(name).skipFinalSnapshot(true)));
                case EBS_VOLUME -> {
                    var volume = findRestoredVolume(aws, name);
                    if (volume.isPresent()) {
                        call(aws, AwsService.EC2, "DeleteVolume", () -> aws.ec2()
                                .deleteVolume(r -> r.volumeId(volume.get().volumeId())));
                    }
                }
                case DYNAMODB_TABLE -> call(aws, AwsService.DYNAMODB, "DeleteTable", () -> aws.dynamoDb()
                        .deleteTable(r -> r.tableName(name)));
            }
        } catch (AwsCallException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
    }

    @Override
    public List<RestoredResource> leftoverRestores(String group, String region) {
        RegionClients aws = clients(region);
        String prefix = restorePrefix(group);
        List<RestoredResource> left = new ArrayList<>();
        call(
                        aws,
                        AwsService.RDS,
                        "DescribeDBInstances",
                        () -> aws.rds().describeDBInstancesPaginator(r -> r.maxRecords(100)).dbInstances().stream()
                                .toList())
                .stream()
                .filter(i -> i.dbInstanceIdentifier().startsWith(prefix))
                .forEach(i -> left.add(
                        new RestoredResource(ResourceArn.Kind.RDS_INSTANCE, region, i.dbInstanceIdentifier())));
        call(
                        aws,
                        AwsService.RDS,
                        "DescribeDBClusters",
                        () -> aws.rds().describeDBClustersPaginator(r -> r.maxRecords(100)).dbClusters().stream()
                                .toList())
                .stream()
                .filter(c -> c.dbClusterIdentifier().startsWith(prefix))
                .forEach(c ->
                        left.add(new RestoredResource(ResourceArn.Kind.RDS_CLUSTER, region, c.dbClusterIdentifier())));
        call(aws, AwsService.EC2, "DescribeVolumes", () -> aws.ec2()
                        .describeVolumes(r -> r.filters(Filter.builder()
                                .name("tag:" + TAG_RESTORE_TEST)
                                .values(group)
                                .build()))
                        .volumes())
                .forEach(v -> ec2Tags(v.tags()).entrySet().stream()
                        .filter(t -> t.getKey().equals(TAG_NAME))
                        .findFirst()
                        .ifPresent(t ->
                                left.add(new RestoredResource(ResourceArn.Kind.EBS_VOLUME, region, t.getValue()))));
        call(
                        aws,
                        AwsService.DYNAMODB,
                        "ListTables",
                        () -> aws.dynamoDb().listTablesPaginator(r -> r.limit(100)).tableNames().stream()
                                .toList())
                .stream()
                .filter(t -> t.startsWith(prefix))
                .forEach(t -> left.add(new RestoredResource(ResourceArn.Kind.DYNAMODB_TABLE, region, t)));
        return left;
    }

    /** The name every restore test of {@code group} gives what it restores starts with this. */
    public static String restorePrefix(String group) {
        return "drplane-rt-" + group.toLowerCase(java.util.Locale.ROOT) + "-";
    }

    private Optional<software.amazon.awssdk.services.rds.model.DBInstance> findDbInstance(
            RegionClients aws, String name) {
        return first(aws, AwsService.RDS, "DescribeDBInstances", () -> aws.rds()
                .describeDBInstances(r -> r.dbInstanceIdentifier(name))
                .dbInstances());
    }

    private Optional<software.amazon.awssdk.services.rds.model.DBCluster> findDbCluster(
            RegionClients aws, String name) {
        return first(aws, AwsService.RDS, "DescribeDBClusters", () -> aws.rds()
                .describeDBClusters(r -> r.dbClusterIdentifier(name))
                .dbClusters());
    }

    private Optional<software.amazon.awssdk.services.ec2.model.Volume> findRestoredVolume(
            RegionClients aws, String name) {
        return first(aws, AwsService.EC2, "DescribeVolumes", () -> aws.ec2()
                .describeVolumes(r -> r.filters(
                        Filter.builder().name("tag:" + TAG_NAME).values(name).build()))
                .volumes());
    }

    private boolean tableExists(RegionClients aws, String name) {
        return !tableStatus(aws, name).equals("gone");
    }

    private String tableStatus(RegionClients aws, String name) {
        return first(
                        aws,
                        AwsService.DYNAMODB,
                        "DescribeTable",
                        () -> List.of(aws.dynamoDb()
                                .describeTable(r -> r.tableName(name))
                                .table()))
                .map(TableDescription::tableStatusAsString)
                .orElse("gone");
    }

    private static software.amazon.awssdk.services.ec2.model.Tag ec2Tag(String key, String value) {
        return software.amazon.awssdk.services.ec2.model.Tag.builder()
                .key(key)
                .value(value)
                .build();
    }

    // finding what a name already made

    private Optional<DBSnapshot> findDbSnapshot(RegionClients aws, String name) {
        return first(aws, AwsService.RDS, "DescribeDBSnapshots", () -> aws.rds()
                .describeDBSnapshots(r -> r.dbSnapshotIdentifier(name))
                .dbSnapshots());
    }

    private Optional<DBClusterSnapshot> findClusterSnapshot(RegionClients aws, String name) {
        return first(aws, AwsService.RDS, "DescribeDBClusterSnapshots", () -> aws.rds()
                .describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(name))
                .dbClusterSnapshots());
    }

    /** By id (the job's): a lookup, where a search by name tag scans the region's snapshots. */
    private Optional<Snapshot> ebsSnapshot(RegionClients aws, String snapshotId) {
        try {
            return first(aws, AwsService.EC2, "DescribeSnapshots", () -> aws.ec2()
                    .describeSnapshots(r -> r.snapshotIds(snapshotId))
                    .snapshots());
        } catch (AwsCallException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<Snapshot> findEbsSnapshot(RegionClients aws, String name) {
        return first(aws, AwsService.EC2, "DescribeSnapshots", () -> aws.ec2()
                .describeSnapshots(r -> r.ownerIds("self")
                        .filters(Filter.builder()
                                .name("tag:" + TAG_NAME)
                                .values(name)
                                .build()))
                .snapshots());
    }

    private Optional<BackupSummary> findDynamoBackup(RegionClients aws, String table, String name) {
        return dynamoBackups(aws, table).stream()
                .filter(b -> b.backupName().equals(name))
                .findFirst();
    }

    /** ListBackups pages by the last backup's ARN (the SDK has no paginator for it). */
    private static List<BackupSummary> dynamoBackups(RegionClients aws, @Nullable String table) {
        List<BackupSummary> all = new ArrayList<>();
        String after = null;
        do {
            String from = after;
            var page = call(aws, AwsService.DYNAMODB, "ListBackups", () -> aws.dynamoDb()
                    .listBackups(r ->
                            r.tableName(table).backupType(BackupTypeFilter.USER).exclusiveStartBackupArn(from)));
            all.addAll(page.backupSummaries());
            after = page.lastEvaluatedBackupArn();
        } while (after != null);
        return all;
    }

    /** The plan refuses such a resource for the native engine; reaching here is a bug, said plainly. */
    private static IllegalArgumentException notNative(String arn) {
        return new IllegalArgumentException(
                "the native engine cannot back up " + arn + "; its plan needs engine: aws-backup");
    }

    /** The first of what a describe call lists; empty when there is none or the service says it does not exist. */
    private static <T> Optional<T> first(
            RegionClients aws, AwsService service, String operation, Supplier<List<T>> describe) {
        try {
            return call(aws, service, operation, describe).stream().findFirst();
        } catch (AwsCallException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // statuses

    private static JobStatus status(DBSnapshot s) {
        String id = s.dbSnapshotArn() == null ? s.dbSnapshotIdentifier() : s.dbSnapshotArn();
        Instant dataTime =
                s.originalSnapshotCreateTime() != null ? s.originalSnapshotCreateTime() : s.snapshotCreateTime();
        Long size = s.allocatedStorage() == null ? null : s.allocatedStorage() * 1024L * 1024 * 1024;
        return rdsStatus(s.dbSnapshotIdentifier(), id, s.status(), dataTime, size);
    }

    private static JobStatus status(DBClusterSnapshot s) {
        String id = s.dbClusterSnapshotArn() == null ? s.dbClusterSnapshotIdentifier() : s.dbClusterSnapshotArn();
        Instant dataTime = sourceCreatedAt(rdsTags(s.tagList())).orElse(s.snapshotCreateTime());
        Long size = s.allocatedStorage() == null ? null : s.allocatedStorage() * 1024L * 1024 * 1024;
        return rdsStatus(s.dbClusterSnapshotIdentifier(), id, s.status(), dataTime, size);
    }

    private static JobStatus rdsStatus(String jobId, String pointId, String state, Instant dataTime, Long size) {
        return switch (state == null ? "creating" : state) {
            case "available" -> JobStatus.completed(jobId, pointId, dataTime, size);
            case "creating", "copying", "pending" -> JobStatus.running(jobId, pointId);
            default -> JobStatus.failed(jobId, "Snapshot" + capitalized(state), "the snapshot is " + state);
        };
    }

    private static JobStatus status(Snapshot s, @Nullable Instant sourceCreatedAt) {
        Instant dataTime = sourceCreatedAt != null
                ? sourceCreatedAt
                : sourceCreatedAt(ec2Tags(s.tags())).orElse(s.startTime());
        return ebsStatus(s.snapshotId(), s.stateAsString(), dataTime, s.volumeSize());
    }

    private static JobStatus ebsStatus(String id, String state, Instant dataTime, @Nullable Integer sizeGiB) {
        Long size = sizeGiB == null ? null : sizeGiB * 1024L * 1024 * 1024;
        return switch (state == null ? "pending" : state) {
            case "completed" -> JobStatus.completed(id, id, dataTime, size);
            case "pending" -> JobStatus.running(id, id);
            default -> JobStatus.failed(id, "Snapshot" + capitalized(state), "the snapshot is " + state);
        };
    }

    private JobStatus dynamoStatus(RegionClients aws, String backupArn) {
        try {
            BackupDescription d = call(aws, AwsService.DYNAMODB, "DescribeBackup", () -> aws.dynamoDb()
                    .describeBackup(r -> r.backupArn(backupArn))
                    .backupDescription());
            var details = d.backupDetails();
            return dynamoStatus(
                    details.backupArn(),
                    details.backupStatus(),
                    details.backupCreationDateTime(),
                    details.backupSizeBytes());
        } catch (AwsCallException e) {
            if (notFound(e)) {
                return JobStatus.failed(backupArn, "BackupGone", "the backup " + backupArn + " is gone");
            }
            throw e;
        }
    }

    private static JobStatus dynamoStatus(String arn, BackupStatus status, Instant createdAt, @Nullable Long size) {
        return switch (status) {
            case AVAILABLE -> JobStatus.completed(arn, arn, createdAt, size);
            case CREATING -> JobStatus.running(arn, arn);
            default -> JobStatus.failed(arn, "Backup" + capitalized(String.valueOf(status)), "the backup is " + status);
        };
    }

    // tags

    private Map<String, String> tags(
            String group,
            String rule,
            String name,
            @Nullable Instant scheduledFor,
            Lifecycle lifecycle,
            @Nullable Instant sourceCreatedAt) {
        Map<String, String> tags = new TreeMap<>();
        tags.put(TAG_GROUP, group);
        tags.put(TAG_RULE, rule);
        tags.put(TAG_NAME, name);
        if (scheduledFor != null) {
            tags.put(TAG_SCHEDULED_FOR, scheduledFor.toString());
        }
        if (sourceCreatedAt != null) {
            tags.put(TAG_SOURCE_CREATED_AT, sourceCreatedAt.toString());
        }
        if (lifecycle.deleteAfterDays() != null) {
            // counted from the data time, as AWS Backup counts a copy's retention from its source's creation
            Instant from = sourceCreatedAt != null ? sourceCreatedAt : scheduledFor;
            if (from != null) {
                tags.put(
                        TAG_DELETE_AFTER,
                        from.plus(scale.realDuration(Duration.ofDays(lifecycle.deleteAfterDays())))
                                .toString());
            }
        }
        return tags;
    }

    private static List<Tag> rdsTags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    private static Map<String, String> rdsTags(List<Tag> tags) {
        return toMap(tags, Tag::key, Tag::value);
    }

    private static TagSpecification ec2Tags(Map<String, String> tags) {
        return TagSpecification.builder()
                .resourceType(ResourceType.SNAPSHOT)
                .tags(tags.entrySet().stream()
                        .map(e -> software.amazon.awssdk.services.ec2.model.Tag.builder()
                                .key(e.getKey())
                                .value(e.getValue())
                                .build())
                        .toList())
                .build();
    }

    private static Map<String, String> ec2Tags(List<software.amazon.awssdk.services.ec2.model.Tag> tags) {
        return toMap(
                tags,
                software.amazon.awssdk.services.ec2.model.Tag::key,
                software.amazon.awssdk.services.ec2.model.Tag::value);
    }

    private static <T> Map<String, String> toMap(List<T> tags, Function<T, String> key, Function<T, String> value) {
        Map<String, String> map = new TreeMap<>();
        if (tags != null) {
            tags.forEach(t -> map.put(key.apply(t), value.apply(t)));
        }
        return map;
    }

    private static Optional<Instant> sourceCreatedAt(Map<String, String> tags) {
        return Optional.ofNullable(tags.get(TAG_SOURCE_CREATED_AT)).map(Instant::parse);
    }

    private static RecoveryPoint point(
            String id,
            String region,
            ResourceArn.Kind kind,
            Map<String, String> tags,
            Instant dataTime,
            boolean usable) {
        return new RecoveryPoint(
                id,
                region,
                kind,
                tags.get(TAG_GROUP),
                tags.getOrDefault(TAG_RULE, ""),
                tags.getOrDefault(TAG_NAME, id),
                dataTime,
                usable,
                Optional.ofNullable(tags.get(TAG_DELETE_AFTER))
                        .map(Instant::parse)
                        .orElse(null));
    }

    // calls

    private RegionClients clients(String region) {
        RegionClients clients = regions.get(region);
        if (clients == null) {
            throw new IllegalStateException(
                    "no AWS clients for " + region + "; the plan's regions are " + regions.keySet());
        }
        return clients;
    }

    private static <T> T call(RegionClients aws, AwsService service, String operation, Supplier<T> call) {
        return aws.calls().call(service, operation, new Attempts(), call);
    }

    private static boolean notFound(AwsCallException e) {
        return AwsErrors.notFound(e);
    }

    private static String capitalized(String word) {
        return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
