package io.drplane.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.ResilienceSettings;
import io.drplane.coordinator.runbook.ReprotectRunbook;
import io.drplane.coordinator.runbook.ReprotectRunner;
import io.drplane.coordinator.state.ReprotectRun;
import io.drplane.coordinator.state.StepRun;
import io.drplane.events.Command;
import io.drplane.events.CommandFailed;
import io.drplane.events.CommandResult;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.EventType;
import io.drplane.events.Evidence;
import io.drplane.events.ReasonCode;
import io.drplane.executor.action.CommandRunner;
import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Re-protect's commands, as the coordinator makes them, carried out against moto over real HTTP after a failover of an
 * RDS instance from us-east-1 to us-west-2: moto's state shows the final snapshot, the old primary renamed and
 * stopped, a new read replica of the new primary under the old name, the region scaled down and verified; a second
 * run changes nothing; and every AWS operation each command sends is allowed by that command's IAM policy.
 */
class ReprotectMotoIT {

    @TempDir
    Path dir;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String group = "shop-" + suffix;
    private final String oldPrimary = "orders-" + suffix;
    private final String newPrimary = "orders-" + suffix + "-usw2";
    private final String asg = "web-" + suffix + "-use1";

    @Test
    void shouldReprotectTheOldPrimaryRegionAndFindItDoneTheSecondTime() throws Exception {
        AwsWorld world = new AwsWorld();
        Plan plan = afterAFailover(world);
        Group g = plan.group(group).orElseThrow();
        IamPolicyCoverageIT.Recorder recorder = new IamPolicyCoverageIT.Recorder();
        Map<String, Command> commands = commands(g, false);
        Map<String, Command> dry = commands(g, true);
        try (AwsClients east = new AwsClients(
                        "us-east-1",
                        Optional.of(MotoServer.shared().endpoint()),
                        AwsWorld.CREDENTIALS,
                        Duration.ofSeconds(10),
                        List.of(recorder));
                AwsCalls calls = new AwsCalls("us-east-1", ResilienceSettings.defaults())) {
            CommandRunner runner =
                    new CommandRunner(east, calls, plan, false, Duration.ofMillis(20), Clock.systemUTC());
            CommandRunner dryRunner =
                    new CommandRunner(east, calls, plan, true, Duration.ofMillis(20), Clock.systemUTC());

            for (Command command : dry.values()) {
                recorder.actions.clear();
                CommandResult result = dryRunner.run(command);
                assertThat(result).as(command + ": " + result).isInstanceOf(CommandSucceeded.class);
                assertThat(IamPolicyCoverageIT.allowed("dry-run.json"))
                        .as(
                                "dry-run.json allows what a dry %s calls",
                                command.getClass().getSimpleName())
                        .containsAll(recorder.actions);
            }
            assertThat(instance(world, oldPrimary).readReplicaSourceDBInstanceIdentifier())
                    .as("a dry run changed nothing")
                    .isNull();

            for (var step : commands.entrySet()) {
                recorder.actions.clear();
                CommandResult result = runner.run(step.getValue());
                assertThat(result).as(step.getKey() + ": " + result).isInstanceOf(CommandSucceeded.class);
                assertThat(result.reason().code()).as(step.getKey()).isIn(ReasonCode.STEP_SUCCEEDED);
                String policy = policy(step.getValue());
                assertThat(IamPolicyCoverageIT.allowed(policy))
                        .as("%s allows what %s calls", policy, step.getKey())
                        .containsAll(recorder.actions);
            }

            String snapshot = ReprotectRunbook.snapshotName(group, "us-east-1", 3);
            assertThat(world.east
                            .rds()
                            .describeDBSnapshots(r -> r.dbSnapshotIdentifier(snapshot))
                            .dbSnapshots())
                    .singleElement()
                    .satisfies(s -> assertThat(s.dbInstanceIdentifier()).isEqualTo(oldPrimary));
            DBInstance fenced = instance(world, ReprotectRunbook.fencedName(oldPrimary, 3));
            assertThat(fenced.dbInstanceStatus()).as("the old primary, fenced").isEqualTo("stopped");
            DBInstance replica = instance(world, oldPrimary);
            assertThat(replica.readReplicaSourceDBInstanceIdentifier())
                    .as("the old name is a replica of the new primary now")
                    .isEqualTo("arn:aws:rds:us-west-2:123456789012:db:" + newPrimary);
            assertThat(world.east
                            .autoScaling()
                            .describeAutoScalingGroups(r -> r.autoScalingGroupNames(asg))
                            .autoScalingGroups()
                            .get(0)
                            .desiredCapacity())
                    .as("scaled down to a warm standby's size")
                    .isEqualTo(1);

            for (var step : commands.entrySet()) {
                CommandResult again = runner.run(step.getValue());
                assertThat(again).as(step.getKey() + " again: " + again).isInstanceOf(CommandSucceeded.class);
                if (!step.getKey().equals(ReprotectRunbook.VERIFY)) {
                    assertThat(again.reason().code())
                            .as(step.getKey() + " a second time")
                            .isEqualTo(ReasonCode.ALREADY_IN_DESIRED_STATE);
                }
            }
        } finally {
            world.east.close();
            world.west.close();
        }
    }

    @Test
    void shouldRefuseToCreateAReplicaOverADatabaseThatWasNotFenced() throws Exception {
        AwsWorld world = new AwsWorld();
        Plan plan = afterAFailover(world);
        Command create = commands(plan.group(group).orElseThrow(), false).get(ReprotectRunbook.CREATE_REPLICA);
        try (AwsCalls calls = new AwsCalls("us-east-1", ResilienceSettings.defaults())) {
            CommandResult result = new CommandRunner(
                            world.east, calls, plan, false, Duration.ofMillis(20), Clock.systemUTC())
                    .run(create);

            assertThat(result).isInstanceOf(CommandFailed.class);
            CommandFailed failed = (CommandFailed) result;
            assertThat(failed.errorCode()).isEqualTo("DBInstanceAlreadyExists");
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.errorMessage())
                    .isEqualTo(oldPrimary + " exists and is no replica of arn:aws:rds:us-west-2:123456789012:db:"
                            + newPrimary + ": fence it first (rename or delete it)");
            assertThat(instance(world, oldPrimary).readReplicaSourceDBInstanceIdentifier())
                    .isNull();
        } finally {
            world.east.close();
            world.west.close();
        }
    }

    /** The world after a failover: us-west-2's replica promoted, DNS on us-west-2, us-east-1 still at full size. */
    private Plan afterAFailover(AwsWorld world) throws Exception {
        String primaryArn = world.east
                .rds()
                .createDBInstance(r -> r.dbInstanceIdentifier(oldPrimary)
                        .engine("postgres")
                        .dbInstanceClass("db.t3.micro")
                        .allocatedStorage(20)
                        .masterUsername("shop")
                        .masterUserPassword("not-a-secret-1"))
                .dbInstance()
                .dbInstanceArn();
        world.west.rds().createDBInstanceReadReplica(r -> r.dbInstanceIdentifier(newPrimary)
                .sourceDBInstanceIdentifier(primaryArn)
                .dbInstanceClass("db.t3.micro"));
        world.west.rds().promoteReadReplica(r -> r.dbInstanceIdentifier(newPrimary));
        world.east.autoScaling().createLaunchConfiguration(r -> r.launchConfigurationName("lc-" + suffix)
                .imageId("ami-12c6146b")
                .instanceType("t3.micro"));
        world.east.autoScaling().createAutoScalingGroup(r -> r.autoScalingGroupName(asg)
                .launchConfigurationName("lc-" + suffix)
                .minSize(2)
                .desiredCapacity(4)
                .maxSize(6)
                .availabilityZones("us-east-1a"));
        String zone = world.east
                .route53()
                .createHostedZone(r -> r.name(suffix + ".example.com.").callerReference(suffix))
                .hostedZone()
                .id()
                .replace("/hostedzone/", "");
        String record = "shop." + suffix + ".example.com.";
        world.east.route53().changeResourceRecordSets(r -> r.hostedZoneId(zone)
                .changeBatch(b -> b.changes(
                        record(record, "use1", "SECONDARY", "198.51.100.10"),
                        record(record, "usw2", "PRIMARY", "203.0.113.10"))));
        String yaml =
                """
                version: 1
                vantagePoints: [v1, v2, v3]
                groups:
                  - id: %s
                    strategy: warm-standby
                    mode: automatic
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - name: us-east-1
                        role: primary
                        targets: [ { name: web, kind: https, url: "https://use1.example.com/health" } ]
                        database: { kind: rds-instance, identifier: %s }
                        compute: { autoScalingGroup: %s, failoverCapacity: { min: 2, desired: 4, max: 6 } }
                        dnsRecord: { setIdentifier: use1, values: [198.51.100.10] }
                      - name: us-west-2
                        role: standby
                        targets: [ { name: web, kind: https, url: "https://usw2.example.com/health" } ]
                        database: { kind: rds-instance, identifier: %s }
                        dnsRecord: { setIdentifier: usw2, values: [203.0.113.10] }
                    replication:
                      - { name: orders-db, from: us-east-1, to: us-west-2, method: cloudwatch-rds-replica-lag, targetResource: %s }
                    dns: { hostedZoneId: %s, recordName: %s, routing: failover, ttl: 60 }
                """
                        .formatted(group, oldPrimary, asg, newPrimary, newPrimary, zone, record);
        return PlanLoader.load(Files.writeString(dir.resolve(group + ".yml"), yaml));
    }

    private static Change record(String name, String id, String role, String value) {
        return Change.builder()
                .action(ChangeAction.UPSERT)
                .resourceRecordSet(ResourceRecordSet.builder()
                        .name(name)
                        .type("A")
                        .setIdentifier(id)
                        .failover(role)
                        .ttl(60L)
                        .resourceRecords(v -> v.value(value))
                        .build())
                .build();
    }

    /** Re-protect's commands for us-east-1 after failover epoch 3, in runbook order, made by the coordinator's runner. */
    private Map<String, Command> commands(Group g, boolean dryRunIds) {
        ReprotectRunbook runbook =
                ReprotectRunbook.forGroup(g, "us-east-1", "us-west-2").orElseThrow();
        Map<String, StepRun> steps = new LinkedHashMap<>();
        runbook.steps().forEach(s -> steps.put(s.name(), StepRun.pending()));
        ReprotectRun run = ReprotectRun.needed(g.id(), "fo-3", 3, "us-east-1", "us-west-2", 250L, Instant.now(), steps)
                .start(4, Instant.now());
        ReprotectRunner runner = new ReprotectRunner();
        Map<String, Command> commands = new LinkedHashMap<>();
        for (var step : runbook.steps()) {
            commands.put(
                    step.name(),
                    runner.command(
                            g,
                            step,
                            run,
                            run.id() + ":" + step.name() + (dryRunIds ? ":dry" : ":1"),
                            Instant.now(),
                            Evidence.none()));
        }
        return commands;
    }

    private static String policy(Command command) {
        String typeName = EventType.of(command.getClass()).typeName();
        return typeName.substring("io.drplane.command.".length(), typeName.length() - ".v1".length()) + ".json";
    }

    private static DBInstance instance(AwsWorld world, String id) {
        return world.east
                .rds()
                .describeDBInstances(r -> r.dbInstanceIdentifier(id))
                .dbInstances()
                .get(0);
    }
}
