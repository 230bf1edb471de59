package io.drplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.executor.AwsWorld;
import io.drplane.testsupport.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** Break glass against moto: the runbook runs without Kafka, step by step, after confirmation; run again, it repeats nothing. */
class FailoverDirectCommandIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @Test
    void shouldRunTheRunbookStraightAgainstAwsAfterConfirmation() {
        AwsWorld world = new AwsWorld().create();
        Path plan = world.plan(dir, "automatic");
        String endpoint = MotoServer.shared().endpoint().toString();

        StringWriter refused = new StringWriter();
        StringWriter refusedErr = new StringWriter();
        int notConfirmed = withStdin("not-the-group\n", () -> new CommandLine(new DrplaneCli())
                .setOut(new PrintWriter(refused))
                .setErr(new PrintWriter(refusedErr))
                .execute("failover", "--direct", world.group, "--plan", plan.toString(), "--aws-endpoint", endpoint));
        assertThat(notConfirmed).isEqualTo(1);
        assertThat(refusedErr.toString()).contains("Not confirmed; nothing was done.");
        assertThat(world.replica().replicationSourceIdentifier()).isEqualTo(world.primaryClusterArn);

        StringWriter out = new StringWriter();
        int code = withStdin(world.group + "\n", () -> new CommandLine(new DrplaneCli())
                .setOut(new PrintWriter(out))
                .execute("failover", "--direct", world.group, "--plan", plan.toString(), "--aws-endpoint", endpoint));

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("Break-glass failover of " + world.group
                        + " from us-east-1 to us-west-2 (warm-standby runbook)")
                .contains("1. promote-database   promote-replica")
                .contains("3. switch-dns         switch-dns                 after: promote-database, scale-compute")
                .contains("promote-database: STEP_SUCCEEDED Promoted replica cluster " + world.replicaCluster)
                .contains("scale-compute: STEP_SUCCEEDED Set Auto Scaling group " + world.autoScalingGroup)
                .contains("switch-dns: STEP_SUCCEEDED Upserted in zone " + world.hostedZoneId)
                .contains("verify: STEP_SUCCEEDED All 3 end-state checks hold.")
                .contains("Failover of " + world.group + " to us-west-2 done in");
        assertThat(out.toString().indexOf("switch-dns: started"))
                .as("DNS only after the database and compute")
                .isGreaterThan(out.toString().indexOf("promote-database: STEP_SUCCEEDED"))
                .isGreaterThan(out.toString().indexOf("scale-compute: STEP_SUCCEEDED"));
        assertThat(world.replica().replicationSourceIdentifier()).isNull();
        assertThat(world.scaling().desiredCapacity()).isEqualTo(3);
        assertThat(world.records())
                .filteredOn(r -> "usw2".equals(r.setIdentifier()))
                .extracting(ResourceRecordSet::failoverAsString)
                .containsExactly("PRIMARY");

        StringWriter again = new StringWriter();
        assertThat(new CommandLine(new DrplaneCli())
                        .setOut(new PrintWriter(again))
                        .execute(
                                "failover",
                                "--direct",
                                world.group,
                                "--plan",
                                plan.toString(),
                                "--aws-endpoint",
                                endpoint,
                                "--yes"))
                .isZero();
        assertThat(again.toString())
                .contains("promote-database: ALREADY_IN_DESIRED_STATE")
                .contains("switch-dns: ALREADY_IN_DESIRED_STATE");
    }

    @Test
    void shouldRefuseWithoutDirectAndNameTheRegionsForABadTarget() {
        AwsWorld world = new AwsWorld();
        world.hostedZoneId = "ZTEST";
        Path plan = world.plan(dir, "automatic");
        StringWriter err = new StringWriter();
        assertThat(new CommandLine(new DrplaneCli())
                        .setErr(new PrintWriter(err))
                        .execute("failover", world.group, "--plan", plan.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--direct'");

        StringWriter bad = new StringWriter();
        assertThat(new CommandLine(new DrplaneCli())
                        .setErr(new PrintWriter(bad))
                        .execute(
                                "failover",
                                "--direct",
                                world.group,
                                "--plan",
                                plan.toString(),
                                "--to",
                                "us-east-1",
                                "--yes"))
                .isEqualTo(2);
        assertThat(bad.toString())
                .contains("Cannot fail " + world.group
                        + " over to us-east-1: expected one of its standby regions [us-west-2]");
    }

    private static int withStdin(String input, IntSupplier run) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.getAsInt();
        } finally {
            System.setIn(original);
        }
    }
}
