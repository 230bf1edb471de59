package io.drplane.executor.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.aws.AwsCalls;
import io.drplane.aws.ResilienceSettings;
import io.drplane.events.Command;
import io.drplane.events.CommandFailed;
import io.drplane.events.CommandResult;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.DatabaseKind;
import io.drplane.events.Evidence;
import io.drplane.events.PromoteReplica;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.executor.AwsWorld;
import io.drplane.plan.Plan;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** The runbook's commands against moto over real HTTP: moto's state shows each change, and a second run changes nothing. */
class CommandRunnerMotoIT {

    @TempDir
    Path dir;

    private final AwsWorld world = new AwsWorld().create();
    private final AwsCalls calls = new AwsCalls("us-west-2", ResilienceSettings.defaults());

    @AfterEach
    void close() {
        calls.close();
    }

    private CommandRunner runner(Plan plan, boolean dryRun) {
        return new CommandRunner(world.west, calls, plan, dryRun, Duration.ofMillis(50), Clock.systemUTC());
    }

    @Test
    void shouldCarryOutAWarmStandbyRunbookAndShowItInMoto() {
        Plan plan = AwsWorld.load(world.plan(dir, "automatic"));
        Map<String, Command> commands = AwsWorld.runbookCommands(plan, world.group, 3, false);
        CommandRunner runner = runner(plan, false);
        assertThat(world.replica().replicationSourceIdentifier()).isEqualTo(world.primaryClusterArn);

        CommandSucceeded promoted = succeeded(runner.run(commands.get("promote-database")));
        assertThat(promoted.reason().code()).isEqualTo(ReasonCode.STEP_SUCCEEDED);
        assertThat(promoted.reason().message())
                .isEqualTo("Promoted replica cluster " + world.replicaCluster + " (was replicating from "
                        + world.primaryClusterArn + "); it is available.");
        assertThat(promoted.attempts()).isEqualTo(1);
        assertThat(promoted.epoch()).isEqualTo(3);
        assertThat(world.replica().replicationSourceIdentifier())
                .as("moto: the replica cluster is standalone")
                .isNull();

        CommandSucceeded scaled = succeeded(runner.run(commands.get("scale-compute")));
        assertThat(scaled.reason().code()).isEqualTo(ReasonCode.STEP_SUCCEEDED);
        assertThat(scaled.reason().message())
                .isEqualTo("Set Auto Scaling group " + world.autoScalingGroup
                        + " to min/desired/max 2/3/6; 3 instances in service.");
        assertThat(world.scaling().minSize()).isEqualTo(2);
        assertThat(world.scaling().desiredCapacity()).isEqualTo(3);
        assertThat(world.scaling().maxSize()).isEqualTo(6);

        CommandSucceeded switched = succeeded(runner.run(commands.get("switch-dns")));
        assertThat(switched.reason().code()).isEqualTo(ReasonCode.STEP_SUCCEEDED);
        assertThat(switched.reason().message())
                .startsWith("Upserted in zone " + world.hostedZoneId)
                .contains("INSYNC")
                .contains(world.recordName + " A [use1] SECONDARY -> 198.51.100.10; " + world.recordName
                        + " A [usw2] PRIMARY -> 203.0.113.10");
        ResourceRecordSet west = world.records().stream()
                .filter(r -> "usw2".equals(r.setIdentifier()))
                .findFirst()
                .orElseThrow();
        ResourceRecordSet east = world.records().stream()
                .filter(r -> "use1".equals(r.setIdentifier()))
                .findFirst()
                .orElseThrow();
        assertThat(west.failoverAsString()).isEqualTo("PRIMARY");
        assertThat(east.failoverAsString()).isEqualTo("SECONDARY");
        assertThat(west.healthCheckId())
                .as("an upsert keeps what the plan does not manage")
                .isEqualTo(world.healthCheckId);

        CommandSucceeded verified = succeeded(runner.run(commands.get("verify")));
        assertThat(verified.reason().message()).isEqualTo("All 3 end-state checks hold.");
        assertThat(verified.outcome()).containsEntry("dns_points_to:" + world.recordName, "ok");

        for (String step : commands.keySet()) {
            if (!step.equals("verify")) {
                CommandSucceeded again = succeeded(runner.run(commands.get(step)));
                assertThat(again.reason().code())
                        .as(step + " a second time")
                        .isEqualTo(ReasonCode.ALREADY_IN_DESIRED_STATE);
            }
        }
    }

    @Test
    void shouldPromoteACrossRegionReadReplicaInstance() {
        String primary = "orders-" + world.suffix;
        String replica = "orders-" + world.suffix + "-usw2";
        String primaryArn = world.east
                .rds()
                .createDBInstance(r -> r.dbInstanceIdentifier(primary)
                        .engine("postgres")
                        .dbInstanceClass("db.t3.micro")
                        .allocatedStorage(20)
                        .masterUsername("shop")
                        .masterUserPassword("not-a-secret-1"))
                .dbInstance()
                .dbInstanceArn();
        world.west.rds().createDBInstanceReadReplica(r -> r.dbInstanceIdentifier(replica)
                .sourceDBInstanceIdentifier(primaryArn)
                .dbInstanceClass("db.t3.micro"));
        Plan plan = AwsWorld.load(world.plan(dir, "automatic"));
        PromoteReplica promote = new PromoteReplica(
                world.group,
                "c-" + world.suffix,
                "fo-1",
                "us-west-2",
                1,
                Instant.now(),
                60_000,
                false,
                DatabaseKind.RDS_INSTANCE,
                replica,
                Reason.of(ReasonCode.RUNBOOK_STEP, "promote-database."),
                Evidence.none());

        CommandSucceeded promoted = succeeded(runner(plan, false).run(promote));

        assertThat(promoted.reason().message())
                .isEqualTo("Promoted read replica " + replica + " (was replicating from " + primaryArn
                        + "); it is available.");
        assertThat(world.west
                        .rds()
                        .describeDBInstances(r -> r.dbInstanceIdentifier(replica))
                        .dbInstances()
                        .get(0)
                        .readReplicaSourceDBInstanceIdentifier())
                .as("moto (with the repository's launcher) shows the promotion")
                .isNull();
        assertThat(world.east
                        .rds()
                        .describeDBInstances(r -> r.dbInstanceIdentifier(primary))
                        .dbInstances()
                        .get(0)
                        .readReplicaDBInstanceIdentifiers())
                .isEmpty();
        assertThat(succeeded(runner(plan, false).run(promote)).reason().code())
                .isEqualTo(ReasonCode.ALREADY_IN_DESIRED_STATE);
    }

    @Test
    void shouldOnlyDescribeInDryRunAndSayWhatWouldChange() {
        Plan plan = AwsWorld.load(world.plan(dir, "automatic"));
        Map<String, Command> commands = AwsWorld.runbookCommands(plan, world.group, 1, true);
        CommandRunner runner = runner(plan, false);

        CommandSucceeded promote = succeeded(runner.run(commands.get("promote-database")));
        assertThat(promote.dryRun()).isTrue();
        assertThat(promote.reason().code()).isEqualTo(ReasonCode.DRY_RUN);
        assertThat(promote.reason().message())
                .isEqualTo("Dry run, nothing was changed. Would promote replica cluster " + world.replicaCluster
                        + " (now replicating from " + world.primaryClusterArn + ").");
        CommandSucceeded scale = succeeded(runner.run(commands.get("scale-compute")));
        assertThat(scale.reason().message())
                .contains("Would set Auto Scaling group " + world.autoScalingGroup
                        + " from min/desired/max 0/0/1 to 2/3/6");
        CommandSucceeded dns = succeeded(runner.run(commands.get("switch-dns")));
        assertThat(dns.reason().message()).contains("Would upsert in zone " + world.hostedZoneId);

        assertThat(world.replica().replicationSourceIdentifier()).isEqualTo(world.primaryClusterArn);
        assertThat(world.scaling().desiredCapacity()).isZero();
        assertThat(world.records())
                .filteredOn(r -> "usw2".equals(r.setIdentifier()))
                .extracting(ResourceRecordSet::failoverAsString)
                .containsExactly("SECONDARY");
    }

    @Test
    void shouldFailVerificationWithEveryFindingWhenTheEndStateIsNotThere() {
        Plan plan = AwsWorld.load(world.plan(dir, "automatic"));
        CommandResult result = runner(plan, false)
                .run(AwsWorld.runbookCommands(plan, world.group, 1, false).get("verify"));

        assertThat(result).isInstanceOfSatisfying(CommandFailed.class, failed -> {
            assertThat(failed.reason().code()).isEqualTo(ReasonCode.STEP_FAILED);
            assertThat(failed.errorCode()).isEqualTo("VerificationFailed");
            assertThat(failed.errorMessage())
                    .contains(
                            "DB cluster " + world.replicaCluster + " still replicates from " + world.primaryClusterArn)
                    .contains("Auto Scaling group " + world.autoScalingGroup
                            + " has 0 instances in service, expected at least 2")
                    .contains(world.recordName + " answers with 198.51.100.10, expected 203.0.113.10");
            assertThat(failed.retryable()).isTrue();
        });
    }

    @Test
    void shouldDryRunEverythingWhenTheExecutorIsInDryRunMode() {
        Plan plan = AwsWorld.load(world.plan(dir, "automatic"));
        CommandSucceeded result = succeeded(runner(plan, true)
                .run(AwsWorld.runbookCommands(plan, world.group, 1, false).get("promote-database")));
        assertThat(result.dryRun()).isTrue();
        assertThat(result.reason().code()).isEqualTo(ReasonCode.DRY_RUN);
        assertThat(world.replica().replicationSourceIdentifier()).isEqualTo(world.primaryClusterArn);
    }

    private static CommandSucceeded succeeded(CommandResult result) {
        assertThat(result).as(String.valueOf(result)).isInstanceOf(CommandSucceeded.class);
        return (CommandSucceeded) result;
    }
}
