package io.drplane.executor.action;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.AwsService;
import io.drplane.events.CreateReplica;
import io.drplane.events.DatabaseKind;
import io.drplane.events.FenceDatabase;
import io.drplane.events.SnapshotDatabase;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterSnapshotsResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsResponse;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Re-protect's database steps in the old primary's region: keep the old primary in a final snapshot, fence it (rename
 * it, which frees its name and takes it off its endpoint, then stop it), and create a cross-region read replica of the
 * new primary under the freed name. Each step finds what an earlier attempt did and counts it as done, so a retry or a
 * duplicate never makes a second snapshot or replica.
 */
public final class DatabaseReprotector {

    private final RdsClient rds;
    private final StsClient sts;
    private final AwsCalls calls;
    private final Waiting waiting;
    private final DatabasePromoter databases;
    /** {@code arn:PARTITION:rds:} and the account, from the executor's own identity (asked once). */
    private volatile String partition;

    private volatile String account;

    DatabaseReprotector(RdsClient rds, StsClient sts, AwsCalls calls, Waiting waiting, DatabasePromoter databases) {
        this.rds = rds;
        this.sts = sts;
        this.calls = calls;
        this.waiting = waiting;
        this.databases = databases;
    }

    Outcome snapshot(SnapshotDatabase command, CommandContext context) {
        return command.databaseKind() == DatabaseKind.RDS_CLUSTER
                ? snapshotCluster(command, context)
                : snapshotInstance(command, context);
    }

    private Outcome snapshotInstance(SnapshotDatabase command, CommandContext context) {
        String db = command.databaseIdentifier();
        String name = command.snapshotIdentifier();
        Map<String, String> details = Map.of("dbInstance", db, "snapshot", name);
        Optional<DBSnapshot> existing = instanceSnapshot(name, context);
        if (existing.isPresent() && "available".equals(existing.get().status())) {
            return Outcome.already("Snapshot " + name + " of " + db + " is already available.", details);
        }
        if (context.dryRun()) {
            return Outcome.wouldChange("Would snapshot " + db + " as " + name + " before it is reused.", details);
        }
        if (existing.isEmpty()) {
            databases.instance(db, context); // the old primary must be there to be kept; a clear error if it is not
            calls.call(
                    AwsService.RDS,
                    "CreateDBSnapshot",
                    context.attempts(),
                    () -> rds.createDBSnapshot(r -> r.dbInstanceIdentifier(db)
                            .dbSnapshotIdentifier(name)
                            .tags(Tag.builder()
                                    .key("drplane:reprotect")
                                    .value(command.failoverId())
                                    .build())));
        }
        waiting.until(
                DescribeDbSnapshotsResponse.class,
                "snapshot " + name + " available",
                context,
                () -> calls.call(
                        AwsService.RDS,
                        "DescribeDBSnapshots",
                        context.attempts(),
                        () -> rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(name))),
                r -> r.dbSnapshots().stream().anyMatch(s -> "available".equals(s.status())));
        return Outcome.changed("Snapshot " + name + " keeps the old primary " + db + "'s data.", details);
    }

    private Optional<DBSnapshot> instanceSnapshot(String name, CommandContext context) {
        try {
            return calls
                    .call(
                            AwsService.RDS,
                            "DescribeDBSnapshots",
                            context.attempts(),
                            () -> rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(name)))
                    .dbSnapshots()
                    .stream()
                    .findFirst();
        } catch (io.drplane.aws.AwsCallException e) {
            if (e.errorCode() != null && e.errorCode().startsWith("DBSnapshotNotFound")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Outcome snapshotCluster(SnapshotDatabase command, CommandContext context) {
        String db = command.databaseIdentifier();
        String name = command.snapshotIdentifier();
        Map<String, String> details = Map.of("dbCluster", db, "snapshot", name);
        Optional<DBClusterSnapshot> existing;
        try {
            existing = calls
                    .call(
                            AwsService.RDS,
                            "DescribeDBClusterSnapshots",
                            context.attempts(),
                            () -> rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(name)))
                    .dbClusterSnapshots()
                    .stream()
                    .findFirst();
        } catch (io.drplane.aws.AwsCallException e) {
            if (e.errorCode() == null || !e.errorCode().startsWith("DBClusterSnapshotNotFound")) {
                throw e;
            }
            existing = Optional.empty();
        }
        if (existing.isPresent() && "available".equals(existing.get().status())) {
            return Outcome.already("Cluster snapshot " + name + " of " + db + " is already available.", details);
        }
        if (context.dryRun()) {
            return Outcome.wouldChange("Would snapshot cluster " + db + " as " + name + ".", details);
        }
        if (existing.isEmpty()) {
            databases.cluster(db, context);
            calls.call(
                    AwsService.RDS,
                    "CreateDBClusterSnapshot",
                    context.attempts(),
                    () -> rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier(db)
                            .dbClusterSnapshotIdentifier(name)
                            .tags(Tag.builder()
                                    .key("drplane:reprotect")
                                    .value(command.failoverId())
                                    .build())));
        }
        waiting.until(
                DescribeDbClusterSnapshotsResponse.class,
                "cluster snapshot " + name + " available",
                context,
                () -> calls.call(
                        AwsService.RDS,
                        "DescribeDBClusterSnapshots",
                        context.attempts(),
                        () -> rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(name))),
                r -> r.dbClusterSnapshots().stream().anyMatch(s -> "available".equals(s.status())));
        return Outcome.changed("Cluster snapshot " + name + " keeps the old primary " + db + "'s data.", details);
    }

    Outcome fence(FenceDatabase command, CommandContext context) {
        if (command.databaseKind() == DatabaseKind.RDS_CLUSTER) {
            return fenceCluster(command, context);
        }
        String db = command.databaseIdentifier();
        String fenced = command.fencedIdentifier();
        Map<String, String> details = Map.of("dbInstance", db, "fencedAs", fenced);
        Optional<DBInstance> current = find(db, context);
        if (current.isPresent() && replicates(current.get(), command.newPrimaryIdentifier())) {
            return Outcome.already(
                    db + " is already a replica of " + command.newPrimaryIdentifier() + ": nothing to fence.", details);
        }
        Optional<DBInstance> renamed = find(fenced, context);
        if (current.isEmpty() && renamed.isEmpty()) {
            return Outcome.already("No DB instance " + db + " is left to take writes: nothing to fence.", details);
        }
        if (current.isEmpty() && "stopped".equals(renamed.get().dbInstanceStatus())) {
            return Outcome.already(db + " is already fenced: renamed " + fenced + " and stopped.", details);
        }
        if (context.dryRun()) {
            return Outcome.wouldChange(
                    "Would rename the old primary " + db + " to " + fenced + " and stop it.", details);
        }
        if (current.isPresent()) {
            calls.call(
                    AwsService.RDS,
                    "ModifyDBInstance",
                    context.attempts(),
                    () -> rds.modifyDBInstance(r -> r.dbInstanceIdentifier(db)
                            .newDBInstanceIdentifier(fenced)
                            .applyImmediately(true)));
            awaitInstance(fenced, "available", context);
        }
        calls.call(
                AwsService.RDS,
                "StopDBInstance",
                context.attempts(),
                () -> rds.stopDBInstance(r -> r.dbInstanceIdentifier(fenced)));
        awaitInstance(fenced, "stopped", context);
        return Outcome.changed(
                "Fenced the old primary: " + db + " is renamed " + fenced
                        + " (off its endpoint, its name free) and stopped.",
                details);
    }

    private Outcome fenceCluster(FenceDatabase command, CommandContext context) {
        String db = command.databaseIdentifier();
        String fenced = command.fencedIdentifier();
        Map<String, String> details = Map.of("dbCluster", db, "fencedAs", fenced);
        var clusters = calls.call(
                        AwsService.RDS, "DescribeDBClusters", context.attempts(), () -> rds.describeDBClusters())
                .dbClusters();
        var current = clusters.stream()
                .filter(c -> c.dbClusterIdentifier().equals(db))
                .findFirst();
        if (current.isEmpty()) {
            return Outcome.already("No DB cluster " + db + " is left to take writes: nothing to fence.", details);
        }
        String source = current.get().replicationSourceIdentifier();
        if (source != null && source.endsWith(":" + command.newPrimaryIdentifier())) {
            return Outcome.already(
                    db + " already replicates from " + command.newPrimaryIdentifier() + ": nothing to fence.", details);
        }
        if (context.dryRun()) {
            return Outcome.wouldChange("Would rename the old primary cluster " + db + " to " + fenced + ".", details);
        }
        calls.call(
                AwsService.RDS,
                "ModifyDBCluster",
                context.attempts(),
                () -> rds.modifyDBCluster(r ->
                        r.dbClusterIdentifier(db).newDBClusterIdentifier(fenced).applyImmediately(true)));
        waiting.until(
                DescribeDbClustersResponse.class,
                "DB cluster " + fenced + " available",
                context,
                () -> calls.call(
                        AwsService.RDS,
                        "DescribeDBClusters",
                        context.attempts(),
                        () -> rds.describeDBClusters(r -> r.dbClusterIdentifier(fenced))),
                r -> r.dbClusters().stream().anyMatch(c -> "available".equals(c.status())));
        return Outcome.changed("Fenced the old primary cluster: " + db + " is renamed " + fenced + ".", details);
    }

    Outcome createReplica(CreateReplica command, CommandContext context) {
        String id = command.replicaIdentifier();
        String account = account(context);
        String sourceArn = "arn:" + partition + ":rds:" + command.sourceRegion() + ":" + account
                + (command.databaseKind() == DatabaseKind.RDS_CLUSTER ? ":cluster:" : ":db:")
                + command.sourceIdentifier();
        Map<String, String> details = Map.of("replica", id, "source", sourceArn);
        if (command.databaseKind() == DatabaseKind.RDS_CLUSTER) {
            return clusterReplica(command, sourceArn, details, context);
        }
        Optional<DBInstance> existing = find(id, context);
        if (context.dryRun() && existing.isPresent() && !replicates(existing.get(), command.sourceIdentifier())) {
            // a drill fenced nothing: the old primary still has the name
            return Outcome.wouldChange(
                    "Would create " + id + " as a read replica of " + sourceArn + " once the fence frees the name.",
                    details);
        }
        if (existing.isPresent()) {
            if (!replicates(existing.get(), command.sourceIdentifier())) {
                throw new StepFailedException(
                        "DBInstanceAlreadyExists",
                        id + " exists and is no replica of " + sourceArn + ": fence it first (rename or delete it)",
                        false);
            }
            if ("available".equals(existing.get().dbInstanceStatus())) {
                return Outcome.already(id + " is already a replica of " + sourceArn + ".", details);
            }
        }
        if (context.dryRun()) {
            return Outcome.wouldChange("Would create " + id + " as a read replica of " + sourceArn + ".", details);
        }
        if (existing.isEmpty()) {
            calls.call(
                    AwsService.RDS,
                    "CreateDBInstanceReadReplica",
                    context.attempts(),
                    () -> rds.createDBInstanceReadReplica(r -> r.dbInstanceIdentifier(id)
                            .sourceDBInstanceIdentifier(sourceArn)
                            .sourceRegion(command.sourceRegion())
                            .tags(Tag.builder()
                                    .key("drplane:reprotect")
                                    .value(command.failoverId())
                                    .build())));
        }
        waiting.until(
                DescribeDbInstancesResponse.class,
                "DB instance " + id + " available and replicating",
                context,
                () -> calls.call(
                        AwsService.RDS,
                        "DescribeDBInstances",
                        context.attempts(),
                        () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(id))),
                r -> r.dbInstances().stream()
                        .anyMatch(i ->
                                "available".equals(i.dbInstanceStatus()) && replicates(i, command.sourceIdentifier())));
        return Outcome.changed("Created " + id + " as a read replica of " + sourceArn + "; it is available.", details);
    }

    /** A replica cluster needs its engine and settings, which only the source region knows: a person creates it. */
    private Outcome clusterReplica(
            CreateReplica command, String sourceArn, Map<String, String> details, CommandContext context) {
        String id = command.replicaIdentifier();
        var found = calls
                .call(AwsService.RDS, "DescribeDBClusters", context.attempts(), () -> rds.describeDBClusters())
                .dbClusters()
                .stream()
                .filter(c -> c.dbClusterIdentifier().equals(id))
                .findFirst();
        if (found.isPresent()
                && found.get().replicationSourceIdentifier() != null
                && found.get().replicationSourceIdentifier().equals(sourceArn)) {
            return Outcome.already(id + " is already a replica cluster of " + sourceArn + ".", details);
        }
        throw new StepFailedException(
                "ReplicaClusterNotAutomated",
                "create " + id + " as a replica cluster of " + sourceArn
                        + " (its engine and settings are the source's),"
                        + " then approve: the step finds it and goes on",
                false);
    }

    private void awaitInstance(String id, String status, CommandContext context) {
        waiting.until(
                DescribeDbInstancesResponse.class,
                "DB instance " + id + " " + status,
                context,
                () -> calls.call(
                        AwsService.RDS,
                        "DescribeDBInstances",
                        context.attempts(),
                        () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(id))),
                r -> r.dbInstances().stream().anyMatch(i -> status.equals(i.dbInstanceStatus())));
    }

    private Optional<DBInstance> find(String id, CommandContext context) {
        try {
            return Optional.of(databases.instance(id, context));
        } catch (StepFailedException | io.drplane.aws.AwsCallException e) {
            if (EndStateVerifier.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether an instance is a read replica of {@code source} (named by identifier or ARN). */
    static boolean replicates(DBInstance instance, String source) {
        String from = instance.readReplicaSourceDBInstanceIdentifier();
        return from != null && (from.equals(source) || from.endsWith(":db:" + source));
    }

    private String account(CommandContext context) {
        if (account == null) {
            var identity =
                    calls.call(AwsService.STS, "GetCallerIdentity", context.attempts(), () -> sts.getCallerIdentity());
            String[] arn =
                    identity.arn() == null ? new String[0] : identity.arn().split(":");
            partition = arn.length > 1 && !arn[1].isBlank() ? arn[1] : "aws";
            account = identity.account();
        }
        return account;
    }
}
