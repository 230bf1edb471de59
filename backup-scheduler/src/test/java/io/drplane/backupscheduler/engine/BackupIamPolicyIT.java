package io.drplane.backupscheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drplane.aws.AwsCallException;
import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.MotoRegions;
import io.drplane.plan.Lifecycle;
import io.drplane.testsupport.MotoServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * deploy/iam/backup-native.json allows every operation the native engine sends: each call of each resource kind runs
 * against moto while the SDK records the operations, and each must be in the policy.
 */
class BackupIamPolicyIT {

    private static final Path POLICY = Path.of("..", "deploy", "iam", "backup-native.json");
    private static final String ACCOUNT = "123456789012";

    /** Records "service:Operation" as IAM spells it, for every request the SDK sends. */
    static final class Recorder implements ExecutionInterceptor {
        final List<String> actions = new CopyOnWriteArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            actions.add(
                    attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME).toLowerCase(Locale.ROOT) + ":"
                            + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }

    @Test
    void shouldAllowEveryOperationTheNativeEngineSends() throws Exception {
        Recorder recorder = new Recorder();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (MotoRegions plain = new MotoRegions();
                MotoRegions recorded = new MotoRegions(
                        MotoServer.shared().endpoint(), ResilienceSettings.defaults(), List.of(recorder))) {
            plain.createDatabase("db-" + suffix);
            plain.createCluster("cl-" + suffix);
            String volume = plain.east
                    .ec2()
                    .createVolume(r -> r.availabilityZone("us-east-1a").size(8))
                    .volumeId();
            plain.createTable("t-" + suffix);
            NativeEngine engine = recorded.engine;
            String group = "iam" + suffix;
            for (String arn : List.of(
                    "arn:aws:rds:us-east-1:" + ACCOUNT + ":db:db-" + suffix,
                    "arn:aws:rds:us-east-1:" + ACCOUNT + ":cluster:cl-" + suffix,
                    "arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/" + volume,
                    "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/t-" + suffix)) {
                ResourceArn resource = ResourceArn.of(arn);
                BackupJob job = new BackupJob(
                        group,
                        "daily",
                        "us-east-1",
                        "v",
                        resource,
                        "drplane-" + group + "-daily-"
                                + resource.kind()
                                        .name()
                                        .toLowerCase(Locale.ROOT)
                                        .replace('_', '-'),
                        Instant.now(),
                        Instant.now().plusSeconds(3600),
                        Instant.now().plusSeconds(7200),
                        new Lifecycle(null, 1));
                JobStatus done =
                        engine.backupStatus(job, engine.startBackup(job).jobId());
                CopyJob copy = new CopyJob(
                        group,
                        "daily",
                        resource,
                        "us-east-1",
                        "v",
                        done.pointId(),
                        done.createdAt(),
                        "us-west-2",
                        "v2",
                        job.name(),
                        new Lifecycle(null, 1));
                JobStatus copied = engine.startCopy(copy);
                if (copied.phase() != JobStatus.Phase.FAILED) {
                    engine.copyStatus(copy, copied.jobId());
                }
            }
            // a restore test of each kind, as the scheduler runs it: restore, follow, delete, sweep
            for (RecoveryPoint point : engine.recoveryPoints(group, Set.of("daily"), "us-east-1")) {
                String name = NativeEngine.restorePrefix(group)
                        + point.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
                if (engine.startRestore(point, name).phase() != JobStatus.Phase.FAILED) {
                    engine.restoreStatus(point, name);
                    engine.deleteRestored(point, name);
                }
            }
            engine.leftoverRestores(group, "us-east-1");

            for (String region : List.of("us-east-1", "us-west-2")) {
                for (RecoveryPoint point : engine.recoveryPoints(group, Set.of("daily"), region)) {
                    engine.delete(point);
                }
            }
            // last, the cold tier: moto does not serve ModifySnapshotTier (its errors open the EC2 breaker), but the
            // request is recorded before it is answered
            try {
                engine.archive(new RecoveryPoint(
                        "snap-0",
                        "us-east-1",
                        ResourceArn.Kind.EBS_VOLUME,
                        group,
                        "daily",
                        "n",
                        Instant.now(),
                        true,
                        null));
            } catch (AwsCallException e) {
                // not served by the emulator
            }
        }
        Set<String> sent = new TreeSet<>(recorder.actions);
        assertThat(sent)
                .as("every kind ran: backup, copy, inventory, delete and a restore test")
                .contains(
                        "rds:CreateDBSnapshot",
                        "rds:CopyDBSnapshot",
                        "rds:DeleteDBClusterSnapshot",
                        "ec2:CopySnapshot",
                        "ec2:DeleteSnapshot",
                        "dynamodb:CreateBackup",
                        "dynamodb:DeleteBackup",
                        "rds:RestoreDBInstanceFromDBSnapshot",
                        "rds:RestoreDBClusterFromSnapshot",
                        "rds:DeleteDBInstance",
                        "ec2:CreateVolume",
                        "dynamodb:RestoreTableFromBackup",
                        "dynamodb:DeleteTable",
                        "ec2:ModifySnapshotTier");
        assertThat(allowed(POLICY))
                .as("backup-native.json allows what the engine sends")
                .containsAll(sent);
        assertThat(allowed(POLICY)).noneMatch(a -> a.contains("*"));
    }

    static Set<String> allowed(Path file) throws Exception {
        JsonNode policy = new ObjectMapper().readTree(file.toFile());
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : policy.get("Statement")) {
            statement.get("Action").forEach(a -> actions.add(a.asText()));
        }
        return actions;
    }
}
