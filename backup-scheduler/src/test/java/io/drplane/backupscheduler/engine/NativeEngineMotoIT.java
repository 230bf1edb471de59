package io.drplane.backupscheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.MotoRegions;
import io.drplane.backupscheduler.schedule.TimeScale;
import io.drplane.plan.Lifecycle;
import io.drplane.testsupport.MotoServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native engine against moto: every call it makes, in the regions it makes them in. */
class NativeEngineMotoIT {

    private static final String ACCOUNT = "123456789012";
    private static final Instant SCHEDULED = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static MotoRegions aws;
    private static RegionClients east;
    private static RegionClients west;
    private static NativeEngine engine;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String group = "g" + suffix;

    @BeforeAll
    static void clients() {
        aws = new MotoRegions();
        east = aws.east;
        west = aws.west;
        engine = aws.engine;
    }

    @AfterAll
    static void close() {
        aws.close();
    }

    @Test
    void shouldSnapshotAnRdsInstanceOnceCopyItKeepingItsDataTimeListAndDeleteIt() {
        String db = "db-" + suffix;
        aws.createDatabase(db);
        BackupJob job = job(ResourceArn.of("arn:aws:rds:us-east-1:" + ACCOUNT + ":db:" + db));

        JobStatus started = engine.startBackup(job);
        JobStatus again = engine.startBackup(job);
        JobStatus done = engine.backupStatus(job, started.jobId());

        assertThat(done.phase()).isEqualTo(JobStatus.Phase.COMPLETED);
        assertThat(done.pointId()).isEqualTo("arn:aws:rds:us-east-1:" + ACCOUNT + ":snapshot:" + job.name());
        assertThat(again.pointId())
                .as("a start that runs twice finds the first")
                .isEqualTo(done.pointId());
        assertThat(east.rds()
                        .describeDBSnapshots(r -> r.dbInstanceIdentifier(db))
                        .dbSnapshots())
                .filteredOn(s -> s.snapshotType().equals("manual"))
                .as("one snapshot for two starts (moto adds an automated one)")
                .hasSize(1);

        CopyJob copy = copy(job, done);
        JobStatus copied = engine.startCopy(copy);
        engine.startCopy(copy);
        JobStatus copyDone = engine.copyStatus(copy, copied.jobId());
        assertThat(copyDone.phase()).isEqualTo(JobStatus.Phase.COMPLETED);
        assertThat(copyDone.pointId()).startsWith("arn:aws:rds:us-west-2:");
        assertThat(copyDone.createdAt())
                .as("a copy's data time is its source's")
                .isEqualTo(done.createdAt());
        assertThat(west.rds()
                        .describeDBSnapshots(r -> r.dbSnapshotIdentifier(job.name()))
                        .dbSnapshots())
                .hasSize(1);

        List<RecoveryPoint> inWest = engine.recoveryPoints(group, Set.of("daily"), "us-west-2");
        assertThat(inWest).singleElement().satisfies(p -> {
            assertThat(p.rule()).isEqualTo("daily");
            assertThat(p.usable()).isTrue();
            assertThat(p.dataTime()).isEqualTo(done.createdAt());
            assertThat(p.deleteAfter()).isEqualTo(done.createdAt().plus(Duration.ofDays(90)));
        });
        assertThat(engine.recoveryPoints(group, Set.of("daily"), "us-east-1"))
                .singleElement()
                .satisfies(p -> assertThat(p.deleteAfter()).isEqualTo(SCHEDULED.plus(Duration.ofDays(30))));

        engine.delete(inWest.get(0));
        engine.delete(inWest.get(0)); // gone already: not an error
        assertThat(engine.recoveryPoints(group, Set.of("daily"), "us-west-2")).isEmpty();
    }

    /**
     * A thousand groups sweeping at a new owner's start must not list a region a thousand times: groups that sweep
     * within the inventory's time to live share one listing, and each still sees only its own points.
     */
    @Test
    void shouldListARegionOnceForTheGroupsThatSweepWithinTheInventoryTtl() {
        String volume = east.ec2()
                .createVolume(r -> r.availabilityZone("us-east-1a").size(8))
                .volumeId();
        BackupJob job = job(ResourceArn.of("arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/" + volume));
        engine.backupStatus(job, engine.startBackup(job).jobId());
        BackupIamPolicyIT.Recorder recorder = new BackupIamPolicyIT.Recorder();
        Instant[] now = {Instant.parse("2026-12-06T05:00:00Z")};
        try (MotoRegions recorded =
                new MotoRegions(MotoServer.shared().endpoint(), ResilienceSettings.defaults(), List.of(recorder))) {
            NativeEngine shared = new NativeEngine(
                    Map.of("us-east-1", recorded.east, "us-west-2", recorded.west),
                    () -> now[0],
                    TimeScale.REAL,
                    Duration.ofSeconds(30));

            assertThat(shared.recoveryPoints(group, Set.of("daily"), "us-east-1"))
                    .singleElement()
                    .satisfies(p -> assertThat(p.kind()).isEqualTo(ResourceArn.Kind.EBS_VOLUME));
            for (int other = 0; other < 20; other++) {
                assertThat(shared.recoveryPoints("other-" + other, Set.of("daily"), "us-east-1"))
                        .isEmpty();
            }
            assertThat(Collections.frequency(recorder.actions, "ec2:DescribeSnapshots"))
                    .as("one listing for 21 groups within 30 s")
                    .isEqualTo(1);

            // a second volume's point lands: a sweep within the time to live does not see it yet, a restore test does
            String second = east.ec2()
                    .createVolume(r -> r.availabilityZone("us-east-1a").size(8))
                    .volumeId();
            BackupJob next = job(ResourceArn.of("arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/" + second));
            engine.backupStatus(next, engine.startBackup(next).jobId());
            assertThat(shared.recoveryPoints(group, Set.of("daily"), "us-east-1"))
                    .hasSize(1);
            assertThat(shared.currentRecoveryPoints(group, Set.of("daily"), "us-east-1"))
                    .as("listed now")
                    .hasSize(2);
            assertThat(Collections.frequency(recorder.actions, "ec2:DescribeSnapshots"))
                    .isEqualTo(2);

            now[0] = now[0].plusSeconds(31);
            shared.recoveryPoints(group, Set.of("daily"), "us-east-1");
            assertThat(Collections.frequency(recorder.actions, "ec2:DescribeSnapshots"))
                    .as("listed again once older than its time to live")
                    .isEqualTo(3);
        }
    }

    @Test
    void shouldSnapshotAnAuroraCluster() {
        String cluster = "cl-" + suffix;
        aws.createCluster(cluster);
        BackupJob job = job(ResourceArn.of("arn:aws:rds:us-east-1:" + ACCOUNT + ":cluster:" + cluster));
        JobStatus started = engine.startBackup(job);
        JobStatus done = engine.backupStatus(job, started.jobId());
        assertThat(done.phase()).isEqualTo(JobStatus.Phase.COMPLETED);
        JobStatus copied = engine.startCopy(copy(job, done));
        assertThat(engine.copyStatus(copy(job, done), copied.jobId()).createdAt())
                .isEqualTo(done.createdAt());
        assertThat(engine.recoveryPoints(group, Set.of("daily"), "us-west-2"))
                .singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(ResourceArn.Kind.RDS_CLUSTER));
    }

    @Test
    void shouldSnapshotAnEbsVolumeOnceAndCopyIt() {
        String volume = east.ec2()
                .createVolume(r -> r.availabilityZone("us-east-1a").size(8))
                .volumeId();
        BackupJob job = job(ResourceArn.of("arn:aws:ec2:us-east-1:" + ACCOUNT + ":volume/" + volume));
        JobStatus started = engine.startBackup(job);
        engine.startBackup(job);
        JobStatus done = engine.backupStatus(job, started.jobId());
        assertThat(done.phase()).isEqualTo(JobStatus.Phase.COMPLETED);
        assertThat(east.ec2()
                        .describeSnapshots(
                                r -> r.filters(f -> f.name("volume-id").values(volume)))
                        .snapshots())
                .as("one snapshot for two starts")
                .hasSize(1);
        CopyJob copy = copy(job, done);
        JobStatus copied = engine.startCopy(copy);
        engine.startCopy(copy);
        JobStatus copyDone = engine.copyStatus(copy, copied.jobId());
        assertThat(copyDone.phase()).isEqualTo(JobStatus.Phase.COMPLETED);
        assertThat(copyDone.createdAt()).isEqualTo(done.createdAt());
        assertThat(engine.recoveryPoints(group, Set.of("daily"), "us-west-2"))
                .singleElement()
                .satisfies(p -> assertThat(p.dataTime()).isEqualTo(done.createdAt()));
    }

    @Test
    void shouldBackUpADynamoDbTableAndSayWhyItCannotCopyIt() {
        String table = "orders-" + suffix;
        aws.createTable(table);
        BackupJob job = job(ResourceArn.of("arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/" + table));
        JobStatus started = engine.startBackup(job);
        engine.startBackup(job);
        JobStatus done = engine.backupStatus(job, started.jobId());
        assertThat(done.phase()).isEqualTo(JobStatus.Phase.COMPLETED);
        assertThat(east.dynamoDb().listBackups(r -> r.tableName(table)).backupSummaries())
                .hasSize(1);
        assertThat(engine.recoveryPoints(group, Set.of("daily"), "us-east-1"))
                .singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(ResourceArn.Kind.DYNAMODB_TABLE));

        JobStatus copy = engine.startCopy(copy(job, done));
        assertThat(copy.phase()).isEqualTo(JobStatus.Phase.FAILED);
        assertThat(copy.errorCode()).isEqualTo("CopyNotSupported");
        assertThat(copy.message()).contains("use the aws-backup engine");
    }

    private BackupJob job(ResourceArn resource) {
        return new BackupJob(
                group,
                "daily",
                "us-east-1",
                "vault-use1",
                resource,
                "drplane-" + group + "-daily-" + resource.name(),
                SCHEDULED,
                SCHEDULED.plus(Duration.ofHours(1)),
                SCHEDULED.plus(Duration.ofHours(2)),
                new Lifecycle(null, 30));
    }

    private static CopyJob copy(BackupJob job, JobStatus source) {
        return new CopyJob(
                job.group(),
                job.rule(),
                job.resource(),
                "us-east-1",
                "vault-use1",
                source.pointId(),
                source.createdAt(),
                "us-west-2",
                "vault-usw2",
                job.name(),
                new Lifecycle(null, 90));
    }
}
