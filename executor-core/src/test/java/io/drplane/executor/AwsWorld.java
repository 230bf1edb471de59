package io.drplane.executor;

import io.drplane.coordinator.runbook.CommandFactory;
import io.drplane.coordinator.runbook.Runbook;
import io.drplane.coordinator.state.FailoverRun;
import io.drplane.events.Command;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverKind;
import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.MotoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * One group's AWS resources in moto, as a warm standby from us-east-1 to us-west-2: an Aurora replica cluster, a
 * scaled-down Auto Scaling group and Route 53 failover records (the secondary with a health check); and the plan
 * file that names them. Names carry a random suffix, so tests share one moto without resetting it.
 */
public final class AwsWorld {

    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    public final String suffix = UUID.randomUUID().toString().substring(0, 8);
    public final String group = "shop-" + suffix;
    public final String primaryCluster = "db-" + suffix + "-use1";
    public final String replicaCluster = "db-" + suffix + "-usw2";
    public final String autoScalingGroup = "web-" + suffix + "-usw2";
    public final String recordName = "shop." + suffix + ".example.com.";
    public final URI endpoint;
    public final AwsClients east;
    public final AwsClients west;
    public String hostedZoneId;
    public String healthCheckId;
    public String primaryClusterArn;

    public AwsWorld() {
        this(MotoServer.shared().endpoint());
    }

    public AwsWorld(URI endpoint) {
        this.endpoint = endpoint;
        this.east = new AwsClients("us-east-1", Optional.of(endpoint), CREDENTIALS, Duration.ofSeconds(10), List.of());
        this.west = new AwsClients("us-west-2", Optional.of(endpoint), CREDENTIALS, Duration.ofSeconds(10), List.of());
    }

    /** Creates the resources in moto. */
    public AwsWorld create() {
        primaryClusterArn = east.rds()
                .createDBCluster(r -> r.dbClusterIdentifier(primaryCluster)
                        .engine("aurora-postgresql")
                        .masterUsername("shop")
                        .masterUserPassword("not-a-secret-1"))
                .dbCluster()
                .dbClusterArn();
        west.rds().createDBCluster(r -> r.dbClusterIdentifier(replicaCluster)
                .engine("aurora-postgresql")
                .replicationSourceIdentifier(primaryClusterArn)
                .masterUsername("shop")
                .masterUserPassword("not-a-secret-1"));
        west.autoScaling().createLaunchConfiguration(r -> r.launchConfigurationName("lc-" + suffix)
                .imageId("ami-12c6146b")
                .instanceType("t3.micro"));
        west.autoScaling().createAutoScalingGroup(r -> r.autoScalingGroupName(autoScalingGroup)
                .launchConfigurationName("lc-" + suffix)
                .minSize(0)
                .desiredCapacity(0)
                .maxSize(1)
                .availabilityZones("us-west-2a"));
        hostedZoneId = east.route53()
                .createHostedZone(r -> r.name(suffix + ".example.com.").callerReference(suffix))
                .hostedZone()
                .id()
                .replace("/hostedzone/", "");
        healthCheckId = east.route53()
                .createHealthCheck(r -> r.callerReference("hc-" + suffix).healthCheckConfig(c -> c.type("HTTPS")
                        .fullyQualifiedDomainName("usw2." + suffix + ".example.com")
                        .resourcePath("/health")
                        .port(443)))
                .healthCheck()
                .id();
        east.route53().changeResourceRecordSets(r -> r.hostedZoneId(hostedZoneId)
                .changeBatch(b -> b.changes(
                        change(ResourceRecordSet.builder()
                                .name(recordName)
                                .type("A")
                                .setIdentifier("use1")
                                .failover("PRIMARY")
                                .ttl(60L)
                                .resourceRecords(v -> v.value("198.51.100.10"))
                                .build()),
                        change(ResourceRecordSet.builder()
                                .name(recordName)
                                .type("A")
                                .setIdentifier("usw2")
                                .failover("SECONDARY")
                                .ttl(60L)
                                .healthCheckId(healthCheckId)
                                .resourceRecords(v -> v.value("203.0.113.10"))
                                .build()))));
        return this;
    }

    private static Change change(ResourceRecordSet set) {
        return Change.builder()
                .action(ChangeAction.UPSERT)
                .resourceRecordSet(set)
                .build();
    }

    /** The plan naming these resources. */
    public Path plan(Path dir, String mode) {
        String yaml =
                """
                version: 1
                vantagePoints: [v1, v2, v3]
                groups:
                  - id: %s
                    strategy: warm-standby
                    mode: %s
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - name: us-east-1
                        role: primary
                        targets: [ { name: web, kind: https, url: "https://use1.example.com/health" } ]
                        database: { kind: rds-cluster, identifier: %s }
                        dnsRecord: { setIdentifier: use1, values: [198.51.100.10] }
                      - name: us-west-2
                        role: standby
                        targets: [ { name: web, kind: https, url: "https://usw2.example.com/health" } ]
                        database: { kind: rds-cluster, identifier: %s }
                        compute: { autoScalingGroup: %s, failoverCapacity: { min: 2, desired: 3, max: 6 } }
                        dnsRecord: { setIdentifier: usw2, values: [203.0.113.10] }
                    dns: { hostedZoneId: %s, recordName: %s, routing: failover, ttl: 60 }
                """
                        .formatted(
                                group,
                                mode,
                                primaryCluster,
                                replicaCluster,
                                autoScalingGroup,
                                hostedZoneId,
                                recordName);
        try {
            return Files.writeString(dir.resolve(group + ".yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commands of the group's runbook for a failover to us-west-2, made by the coordinator's own factory. */
    public static Map<String, Command> runbookCommands(Plan plan, String groupId, long epoch, boolean drill) {
        Group group = plan.group(groupId).orElseThrow();
        Runbook runbook = Runbook.forGroup(group, "us-west-2");
        FailoverRun run = new FailoverRun(
                "fo-" + UUID.randomUUID().toString().substring(0, 8),
                drill ? FailoverKind.DRILL : FailoverKind.UNPLANNED,
                "us-east-1",
                "us-west-2",
                epoch,
                Instant.now(),
                Instant.now(),
                null,
                Map.of());
        CommandFactory factory = new CommandFactory();
        Map<String, Command> commands = new LinkedHashMap<>();
        for (var step : runbook.steps()) {
            commands.put(
                    step.name(),
                    factory.command(
                            group, step, run, run.id() + "-" + step.name() + "-1", Instant.now(), Evidence.none()));
        }
        return commands;
    }

    public static Plan load(Path plan) {
        return PlanLoader.load(plan);
    }

    public DBCluster replica() {
        return west.rds()
                .describeDBClusters(r -> r.dbClusterIdentifier(replicaCluster))
                .dbClusters()
                .get(0);
    }

    public AutoScalingGroup scaling() {
        return west.autoScaling()
                .describeAutoScalingGroups(r -> r.autoScalingGroupNames(autoScalingGroup))
                .autoScalingGroups()
                .get(0);
    }

    public List<ResourceRecordSet> records() {
        return east
                .route53()
                .listResourceRecordSets(r -> r.hostedZoneId(hostedZoneId).startRecordName(recordName))
                .resourceRecordSets()
                .stream()
                .filter(r -> r.name().equals(recordName))
                .toList();
    }
}
