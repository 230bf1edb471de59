package io.drplane.executor.action;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.AwsService;
import io.drplane.events.DatabaseKind;
import io.drplane.events.FailoverGlobalCluster;
import io.drplane.events.PromoteReplica;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeGlobalClustersResponse;
import software.amazon.awssdk.services.rds.model.GlobalCluster;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;

/**
 * Makes the region's database the writer: promotes an RDS read replica or a replica cluster, or fails over (or, for
 * a planned switchover, switches over) an Aurora global database. A database that is already standalone, or a
 * cluster that is already the global writer, counts as done.
 */
public final class DatabasePromoter {

    private final RdsClient rds;
    private final AwsCalls calls;
    private final Waiting waiting;

    DatabasePromoter(RdsClient rds, AwsCalls calls, Waiting waiting) {
        this.rds = rds;
        this.calls = calls;
        this.waiting = waiting;
    }

    Outcome promote(PromoteReplica command, CommandContext context) {
        return command.databaseKind() == DatabaseKind.RDS_CLUSTER
                ? promoteCluster(command.replicaIdentifier(), context)
                : promoteInstance(command.replicaIdentifier(), context);
    }

    private Outcome promoteInstance(String id, CommandContext context) {
        DBInstance instance = instance(id, context);
        String source = instance.readReplicaSourceDBInstanceIdentifier();
        if (source == null || source.isBlank()) {
            return Outcome.already(
                    "DB instance " + id + " is already standalone (" + instance.dbInstanceStatus() + ").",
                    Map.of("dbInstance", id, "status", instance.dbInstanceStatus()));
        }
        if (context.dryRun()) {
            return Outcome.wouldChange(
                    "Would promote read replica " + id + " (now replicating from " + source + ").",
                    Map.of("dbInstance", id, "replicatingFrom", source));
        }
        calls.call(
                AwsService.RDS,
                "PromoteReadReplica",
                context.attempts(),
                () -> rds.promoteReadReplica(r -> r.dbInstanceIdentifier(id)));
        DBInstance promoted = waiting.until(
                        DescribeDbInstancesResponse.class,
                        "DB instance " + id + " available and standalone",
                        context,
                        () -> describeInstances(id, context),
                        r -> r.dbInstances().stream()
                                .anyMatch(i -> "available".equals(i.dbInstanceStatus())
                                        && (i.readReplicaSourceDBInstanceIdentifier() == null
                                                || i.readReplicaSourceDBInstanceIdentifier()
                                                        .isBlank())))
                .dbInstances()
                .get(0);
        return Outcome.changed(
                "Promoted read replica " + id + " (was replicating from " + source + "); it is "
                        + promoted.dbInstanceStatus() + ".",
                Map.of("dbInstance", id, "previousSource", source, "status", promoted.dbInstanceStatus()));
    }

    private Outcome promoteCluster(String id, CommandContext context) {
        DBCluster cluster = cluster(id, context);
        String source = cluster.replicationSourceIdentifier();
        if (source == null || source.isBlank()) {
            return Outcome.already(
                    "DB cluster " + id + " is already standalone (" + cluster.status() + ").",
                    Map.of("dbCluster", id, "status", cluster.status()));
        }
        if (context.dryRun()) {
            return Outcome.wouldChange(
                    "Would promote replica cluster " + id + " (now replicating from " + source + ").",
                    Map.of("dbCluster", id, "replicatingFrom", source));
        }
        calls.call(
                AwsService.RDS,
                "PromoteReadReplicaDBCluster",
                context.attempts(),
                () -> rds.promoteReadReplicaDBCluster(r -> r.dbClusterIdentifier(id)));
        DBCluster promoted = waiting.until(
                        DescribeDbClustersResponse.class,
                        "DB cluster " + id + " available and standalone",
                        context,
                        () -> calls.call(
                                AwsService.RDS,
                                "DescribeDBClusters",
                                context.attempts(),
                                () -> rds.describeDBClusters(r -> r.dbClusterIdentifier(id))),
                        r -> r.dbClusters().stream()
                                .anyMatch(c -> "available".equals(c.status())
                                        && (c.replicationSourceIdentifier() == null
                                                || c.replicationSourceIdentifier()
                                                        .isBlank())))
                .dbClusters()
                .get(0);
        return Outcome.changed(
                "Promoted replica cluster " + id + " (was replicating from " + source + "); it is " + promoted.status()
                        + ".",
                Map.of("dbCluster", id, "previousSource", source, "status", promoted.status()));
    }

    /** Unplanned: FailoverGlobalCluster with AllowDataLoss. Planned: SwitchoverGlobalCluster, which waits for replication. */
    Outcome failOverGlobal(FailoverGlobalCluster command, CommandContext context) {
        String global = command.globalClusterIdentifier();
        String target = command.targetDbClusterArn();
        GlobalCluster before = global(global, context);
        if (writer(before, target)) {
            return Outcome.already(
                    "Cluster " + target + " is already the writer of global database " + global + ".",
                    Map.of("globalCluster", global, "writer", target));
        }
        String writer = before.globalClusterMembers().stream()
                .filter(m -> Boolean.TRUE.equals(m.isWriter()))
                .map(GlobalClusterMember::dbClusterArn)
                .findFirst()
                .orElse("none");
        String verb = command.allowDataLoss() ? "fail over" : "switch over";
        if (context.dryRun()) {
            return Outcome.wouldChange(
                    "Would " + verb + " global database " + global + " from " + writer + " to " + target + ".",
                    Map.of("globalCluster", global, "writer", writer, "target", target));
        }
        if (command.allowDataLoss()) {
            calls.call(
                    AwsService.RDS,
                    "FailoverGlobalCluster",
                    context.attempts(),
                    () -> rds.failoverGlobalCluster(r -> r.globalClusterIdentifier(global)
                            .targetDbClusterIdentifier(target)
                            .allowDataLoss(true)));
        } else {
            calls.call(
                    AwsService.RDS,
                    "SwitchoverGlobalCluster",
                    context.attempts(),
                    () -> rds.switchoverGlobalCluster(
                            r -> r.globalClusterIdentifier(global).targetDbClusterIdentifier(target)));
        }
        waiting.until(
                DescribeGlobalClustersResponse.class,
                "cluster " + target + " writer of " + global,
                context,
                () -> calls.call(
                        AwsService.RDS,
                        "DescribeGlobalClusters",
                        context.attempts(),
                        () -> rds.describeGlobalClusters(r -> r.globalClusterIdentifier(global))),
                r -> r.globalClusters().stream().anyMatch(g -> "available".equals(g.status()) && writer(g, target)));
        return Outcome.changed(
                "Global database " + global + ": " + (command.allowDataLoss() ? "failed over" : "switched over")
                        + " from " + writer + " to " + target + ".",
                Map.of("globalCluster", global, "previousWriter", writer, "writer", target));
    }

    private static boolean writer(GlobalCluster global, String clusterArn) {
        return global.globalClusterMembers().stream()
                .anyMatch(m -> Boolean.TRUE.equals(m.isWriter()) && clusterArn.equals(m.dbClusterArn()));
    }

    private GlobalCluster global(String id, CommandContext context) {
        return calls
                .call(
                        AwsService.RDS,
                        "DescribeGlobalClusters",
                        context.attempts(),
                        () -> rds.describeGlobalClusters(r -> r.globalClusterIdentifier(id)))
                .globalClusters()
                .stream()
                .findFirst()
                .orElseThrow(() -> new StepFailedException(
                        "GlobalClusterNotFound", "global database " + id + " does not exist", false));
    }

    DBInstance instance(String id, CommandContext context) {
        return describeInstances(id, context).dbInstances().stream()
                .findFirst()
                .orElseThrow(() ->
                        new StepFailedException("DBInstanceNotFound", "DB instance " + id + " does not exist", false));
    }

    DBCluster cluster(String id, CommandContext context) {
        return calls
                .call(
                        AwsService.RDS,
                        "DescribeDBClusters",
                        context.attempts(),
                        () -> rds.describeDBClusters(r -> r.dbClusterIdentifier(id)))
                .dbClusters()
                .stream()
                .findFirst()
                .orElseThrow(() ->
                        new StepFailedException("DBClusterNotFound", "DB cluster " + id + " does not exist", false));
    }

    private DescribeDbInstancesResponse describeInstances(String id, CommandContext context) {
        return calls.call(
                AwsService.RDS,
                "DescribeDBInstances",
                context.attempts(),
                () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)));
    }
}
