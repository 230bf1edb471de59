package io.drplane.backupscheduler.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.drplane.aws.AwsCallException;
import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.BackupPlans;
import io.drplane.backupscheduler.run.GroupBackups;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.BackupJobMissed;
import io.drplane.events.BackupJobStarted;
import io.drplane.events.BackupRestoreTested;
import io.drplane.events.GroupEvent;
import io.drplane.events.ReasonCode;
import io.drplane.plan.Group;
import io.drplane.plan.Lifecycle;
import io.drplane.plan.load.PlanLoader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The aws-backup engine against AWS Backup's REST-JSON protocol served by WireMock (moto does not serve backup jobs):
 * jobs that go CREATED, RUNNING, COMPLETED; jobs that fail or expire; throttling and 5xx retried with backoff; access
 * denied not retried; copies; the inventory.
 */
class AwsBackupEngineIT {

    private static final String ROLE = "arn:aws:iam::123456789012:role/backup";
    private static final String DB = "arn:aws:rds:us-east-1:123456789012:db:shop-db";
    private static final String POINT = "arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-1";
    private static final Instant SCHEDULED = Instant.parse("2026-12-06T05:00:00Z");

    private final WireMockServer aws = new WireMockServer(options().dynamicPort());
    private RegionClients east;
    private RegionClients west;
    private Group group;
    private AwsBackupEngine engine;

    @BeforeEach
    void start() {
        aws.start();
        ResilienceSettings quick = new ResilienceSettings(
                3,
                Duration.ofMillis(10),
                2.0,
                Duration.ofMillis(50),
                0.1,
                50f,
                20,
                20,
                Duration.ofSeconds(1),
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        east = new RegionClients("us-east-1", Optional.of(URI.create(aws.baseUrl())), credentials, quick, List.of());
        west = new RegionClients("us-west-2", Optional.of(URI.create(aws.baseUrl())), credentials, quick, List.of());
        group = PlanLoader.parse(
                        """
                        version: 1
                        vantagePoints: [a, b, c]
                        groups:
                          - id: shop
                            strategy: warm-standby
                            objectives: { rto: 15m, rpo: 1m }
                            regions:
                              - name: us-east-1
                                role: primary
                                targets: [ { name: web, kind: https, url: "https://use1.example.com/health" } ]
                              - name: us-west-2
                                role: standby
                            backup:
                              engine: aws-backup
                              iamRole: %s
                              vault: vault-use1
                              resources: [ "%s" ]
                              rules:
                                - name: daily
                                  schedule: cron(0 5 ? * * *)
                                  startWindow: 60m
                                  completionWindow: 120m
                                  rpo: 26h
                                  lifecycle: { deleteAfterDays: 30 }
                                  copyTo: [ { region: us-west-2, vault: vault-usw2, lifecycle: { deleteAfterDays: 90 } } ]
                        """
                                .formatted(ROLE, DB),
                        "aws-backup.yml")
                .group("shop")
                .orElseThrow();
        engine = new AwsBackupEngine(Map.of("us-east-1", east, "us-west-2", west), group.backup(), () -> SCHEDULED);
    }

    @AfterEach
    void stop() {
        east.close();
        west.close();
        aws.stop();
    }

    @Test
    void shouldStartAJobWithItsWindowsLifecycleAndIdempotencyTokenAndFollowItToCompletion() {
        aws.stubFor(put(urlEqualTo("/backup-jobs"))
                .willReturn(json("{\"BackupJobId\":\"job-1\",\"RecoveryPointArn\":\"" + POINT
                        + "\",\"CreationDate\":1796446800}")));
        lifecycleOfJob("job-1", "CREATED", "RUNNING", "COMPLETED");

        JobStatus started = engine.startBackup(job());
        assertThat(started.jobId()).isEqualTo("job-1");
        aws.verify(putRequestedFor(urlEqualTo("/backup-jobs"))
                .withRequestBody(equalToJson(
                        """
                {"BackupVaultName":"vault-use1","ResourceArn":"%s","IamRoleArn":"%s",
                 "IdempotencyToken":"drplane-shop-daily-20261206t0500z-shop-db",
                 "StartWindowMinutes":60,"CompleteWindowMinutes":120,"Lifecycle":{"DeleteAfterDays":30},
                 "RecoveryPointTags":{"drplane:group":"shop","drplane:rule":"daily",
                   "drplane:name":"drplane-shop-daily-20261206t0500z-shop-db","drplane:scheduled-for":"2026-12-06T05:00:00Z"}}
                """
                                .formatted(DB, ROLE))));

        assertThat(engine.backupStatus(job(), "job-1").phase()).isEqualTo(JobStatus.Phase.RUNNING);
        assertThat(engine.backupStatus(job(), "job-1").phase()).isEqualTo(JobStatus.Phase.RUNNING);
        JobStatus done = engine.backupStatus(job(), "job-1");
        assertThat(done.phase()).isEqualTo(JobStatus.Phase.COMPLETED);
        assertThat(done.pointId()).isEqualTo(POINT);
        assertThat(done.createdAt()).isEqualTo(Instant.ofEpochSecond(1796446800));
        assertThat(done.sizeBytes()).isEqualTo(1024L);
    }

    @Test
    void shouldBackUpAResourceOnlyAwsBackupProtects() {
        String efs = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0";
        ResourceArn resource = ResourceArn.of(efs);
        assertThat(resource.kind()).isEqualTo(ResourceArn.Kind.OTHER);
        assertThat(resource.name()).isEqualTo("fs-0123456789abcdef0");
        assertThat(resource.nativelySupported()).isFalse();
        aws.stubFor(put(urlEqualTo("/backup-jobs")).willReturn(json("{\"BackupJobId\":\"job-efs\"}")));
        BackupJob job = new BackupJob(
                "shop",
                "daily",
                "us-east-1",
                "vault-use1",
                resource,
                "drplane-efs",
                SCHEDULED,
                SCHEDULED.plusSeconds(3600),
                SCHEDULED.plusSeconds(7200),
                new Lifecycle(null, 30));
        assertThat(engine.startBackup(job).jobId()).isEqualTo("job-efs");
        aws.verify(putRequestedFor(urlEqualTo("/backup-jobs"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                        "$.ResourceArn", com.github.tomakehurst.wiremock.client.WireMock.equalTo(efs))));
    }

    @Test
    void shouldReportAFailedAndAnExpiredJobWithAwsBackupsWords() {
        aws.stubFor(get(urlEqualTo("/backup-jobs/job-f"))
                .willReturn(json("{\"BackupJobId\":\"job-f\",\"State\":\"FAILED\","
                        + "\"StatusMessage\":\"Insufficient privileges to perform this action.\"}")));
        aws.stubFor(get(urlEqualTo("/backup-jobs/job-e"))
                .willReturn(json("{\"BackupJobId\":\"job-e\",\"State\":\"EXPIRED\"}")));

        JobStatus failed = engine.backupStatus(job(), "job-f");
        assertThat(failed.phase()).isEqualTo(JobStatus.Phase.FAILED);
        assertThat(failed.errorCode()).isEqualTo("BackupJobFAILED");
        assertThat(failed.message()).isEqualTo("Insufficient privileges to perform this action.");
        JobStatus expired = engine.backupStatus(job(), "job-e");
        assertThat(expired.errorCode()).isEqualTo("BackupJobEXPIRED");
        assertThat(expired.message()).isEqualTo("the backup job is EXPIRED");
    }

    @Test
    void shouldRetryThrottlingAndServerErrorsButNotAccessDenied() {
        aws.stubFor(put(urlEqualTo("/backup-jobs"))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(error(429, "ThrottlingException", "Rate exceeded"))
                .willSetStateTo("throttled"));
        aws.stubFor(put(urlEqualTo("/backup-jobs"))
                .inScenario("flaky")
                .whenScenarioStateIs("throttled")
                .willReturn(error(503, "ServiceUnavailableException", "try again"))
                .willSetStateTo("recovered"));
        aws.stubFor(put(urlEqualTo("/backup-jobs"))
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(json("{\"BackupJobId\":\"job-2\"}")));
        assertThat(engine.startBackup(job()).jobId()).isEqualTo("job-2");
        aws.verify(3, putRequestedFor(urlEqualTo("/backup-jobs")));

        aws.resetAll();
        aws.stubFor(put(urlEqualTo("/backup-jobs"))
                .willReturn(error(403, "AccessDeniedException", "not authorized to perform backup:StartBackupJob")));
        assertThatThrownBy(() -> engine.startBackup(job()))
                .isInstanceOfSatisfying(
                        AwsCallException.class, e -> assertThat(e.errorCode()).isEqualTo("AccessDeniedException"));
        aws.verify(1, putRequestedFor(urlEqualTo("/backup-jobs")));
    }

    @Test
    void shouldCopyFromTheSourceVaultToTheDestinationVaultsArn() {
        aws.stubFor(put(urlEqualTo("/copy-jobs")).willReturn(json("{\"CopyJobId\":\"copy-1\"}")));
        aws.stubFor(get(urlEqualTo("/copy-jobs/copy-1"))
                .inScenario("copy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json("{\"CopyJob\":{\"CopyJobId\":\"copy-1\",\"State\":\"RUNNING\"}}"))
                .willSetStateTo("done"));
        aws.stubFor(
                get(urlEqualTo("/copy-jobs/copy-1"))
                        .inScenario("copy")
                        .whenScenarioStateIs("done")
                        .willReturn(
                                json(
                                        "{\"CopyJob\":{\"CopyJobId\":\"copy-1\",\"State\":\"COMPLETED\","
                                                + "\"DestinationRecoveryPointArn\":\"arn:aws:backup:us-west-2:123456789012:recovery-point:rp-2\"}}")));
        Instant taken = Instant.ofEpochSecond(1796446800);
        CopyJob copy = new CopyJob(
                "shop",
                "daily",
                ResourceArn.of(DB),
                "us-east-1",
                "vault-use1",
                POINT,
                taken,
                "us-west-2",
                "vault-usw2",
                "drplane-shop-daily-20261206t0500z-shop-db",
                new Lifecycle(null, 90));

        assertThat(engine.startCopy(copy).jobId()).isEqualTo("copy-1");
        aws.verify(putRequestedFor(urlEqualTo("/copy-jobs"))
                .withRequestBody(equalToJson(
                        """
                {"RecoveryPointArn":"%s","SourceBackupVaultName":"vault-use1",
                 "DestinationBackupVaultArn":"arn:aws:backup:us-west-2:123456789012:backup-vault:vault-usw2",
                 "IamRoleArn":"%s","IdempotencyToken":"drplane-shop-daily-20261206t0500z-shop-db-us-west-2",
                 "Lifecycle":{"DeleteAfterDays":90}}
                """
                                .formatted(POINT, ROLE))));
        assertThat(engine.copyStatus(copy, "copy-1").phase()).isEqualTo(JobStatus.Phase.RUNNING);
        JobStatus done = engine.copyStatus(copy, "copy-1");
        assertThat(done.phase()).isEqualTo(JobStatus.Phase.COMPLETED);
        assertThat(done.pointId()).isEqualTo("arn:aws:backup:us-west-2:123456789012:recovery-point:rp-2");
        assertThat(done.createdAt()).as("a copy's data time is its source's").isEqualTo(taken);
    }

    @Test
    void shouldListTheGroupsRecoveryPointsWithTheirTagsAndAwsBackupsDeleteTime() {
        aws.stubFor(get(urlPathEqualTo("/backup-vaults/vault-use1/recovery-points/"))
                .willReturn(json("{\"RecoveryPoints\":[{\"RecoveryPointArn\":\"" + POINT + "\",\"ResourceArn\":\"" + DB
                        + "\",\"CreationDate\":1796446800,\"Status\":\"COMPLETED\","
                        + "\"CalculatedLifecycle\":{\"DeleteAt\":1799038800}},"
                        + "{\"RecoveryPointArn\":\"arn:other\",\"ResourceArn\":\"arn:aws:rds:us-east-1:123456789012:db:other\","
                        + "\"CreationDate\":1796446800,\"Status\":\"COMPLETED\"}]}")));
        // the ARN travels URL-encoded in the path
        aws.stubFor(get(urlPathMatching(
                        "/tags/arn%3Aaws%3Ards%3Aus-east-1%3A123456789012%3Asnapshot%3Aawsbackup%3Ajob-1/?"))
                .willReturn(json("{\"Tags\":{\"drplane:group\":\"shop\",\"drplane:rule\":\"daily\"}}")));

        List<RecoveryPoint> points = engine.recoveryPoints("shop", Set.of("daily"), "us-east-1");

        assertThat(points).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(POINT);
            assertThat(p.rule()).isEqualTo("daily");
            assertThat(p.usable()).isTrue();
            assertThat(p.deleteAfter()).isEqualTo(Instant.ofEpochSecond(1799038800));
        });
    }

    @Test
    void shouldRunAGroupsRuleThroughTheAwsBackupEngine() {
        aws.stubFor(put(urlEqualTo("/backup-jobs"))
                .willReturn(json("{\"BackupJobId\":\"job-1\",\"RecoveryPointArn\":\"" + POINT + "\"}")));
        lifecycleOfJob("job-1", "RUNNING", "COMPLETED");
        aws.stubFor(put(urlEqualTo("/copy-jobs")).willReturn(json("{\"CopyJobId\":\"copy-1\"}")));
        aws.stubFor(
                get(urlEqualTo("/copy-jobs/copy-1"))
                        .willReturn(
                                json(
                                        "{\"CopyJob\":{\"CopyJobId\":\"copy-1\",\"State\":\"COMPLETED\","
                                                + "\"DestinationRecoveryPointArn\":\"arn:aws:backup:us-west-2:123456789012:recovery-point:rp-2\"}}")));
        GroupBackups backups = new GroupBackups(group, engine, SCHEDULED.minusSeconds(3600));

        List<GroupEvent> events = new ArrayList<>(backups.tick(SCHEDULED));
        events.addAll(backups.tick(SCHEDULED.plusSeconds(60)));
        events.addAll(backups.tick(SCHEDULED.plusSeconds(120)));

        assertThat(events).filteredOn(BackupJobStarted.class::isInstance).hasSize(1);
        assertThat(events)
                .filteredOn(BackupJobCompleted.class::isInstance)
                .singleElement()
                .satisfies(e ->
                        assertThat(((BackupJobCompleted) e).recoveryPointArn()).isEqualTo(POINT));
        assertThat(events)
                .filteredOn(BackupCopyCompleted.class::isInstance)
                .singleElement()
                .satisfies(e -> assertThat(((BackupCopyCompleted) e).destinationRegion())
                        .isEqualTo("us-west-2"));
        aws.verify(1, putRequestedFor(urlEqualTo("/backup-jobs")));
        aws.verify(getRequestedFor(urlEqualTo("/copy-jobs/copy-1")));
    }

    /**
     * A restore test through AWS Backup: the newest copy in us-west-2 restored with its own restore metadata under the
     * test's name (also the idempotency token), followed to COMPLETED, its validation handed back to AWS Backup, and
     * the restored instance deleted.
     */
    @Test
    void shouldRunARestoreTestReportItsValidationToAwsBackupAndDeleteTheRestore() {
        String copy = "arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:copyjob-1";
        String name = "drplane-rt-shop-daily-drill-20261206070000";
        aws.stubFor(get(urlPathMatching("/backup-vaults/vault-usw2/recovery-points/?"))
                .willReturn(json("{\"RecoveryPoints\":[{\"RecoveryPointArn\":\"" + copy + "\",\"ResourceArn\":\"" + DB
                        + "\",\"CreationDate\":1796446800,\"Status\":\"COMPLETED\"}]}")));
        aws.stubFor(get(urlPathMatching("/tags/.+"))
                .willReturn(json("{\"Tags\":{\"drplane:group\":\"shop\",\"drplane:rule\":\"daily\"}}")));
        aws.stubFor(get(urlPathMatching("/backup-vaults/vault-usw2/recovery-points/.+/restore-metadata"))
                .willReturn(json("{\"RecoveryPointArn\":\"" + copy + "\",\"RestoreMetadata\":{\"DBInstanceClass\":"
                        + "\"db.t3.micro\",\"Engine\":\"postgres\",\"DBInstanceIdentifier\":\"shop-db\"}}")));
        aws.stubFor(put(urlEqualTo("/restore-jobs")).willReturn(json("{\"RestoreJobId\":\"restore-1\"}")));
        String restored = "arn:aws:rds:us-west-2:123456789012:db:" + name;
        aws.stubFor(get(urlEqualTo("/restore-jobs/restore-1"))
                .inScenario("restore")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json("{\"RestoreJobId\":\"restore-1\",\"Status\":\"RUNNING\"}"))
                .willSetStateTo("done"));
        aws.stubFor(get(urlEqualTo("/restore-jobs/restore-1"))
                .inScenario("restore")
                .whenScenarioStateIs("done")
                .willReturn(json("{\"RestoreJobId\":\"restore-1\",\"Status\":\"COMPLETED\",\"CreatedResourceArn\":\""
                        + restored + "\",\"CompletionDate\":1796454060}")));
        aws.stubFor(put(urlEqualTo("/restore-jobs/restore-1/validations")).willReturn(json("{}")));
        aws.stubFor(post(urlEqualTo("/"))
                .withRequestBody(containing("Action=DeleteDBInstance"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "text/xml")
                        .withBody("<DeleteDBInstanceResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
                                + "<DeleteDBInstanceResult><DBInstance><DBInstanceIdentifier>" + name
                                + "</DBInstanceIdentifier></DBInstance></DeleteDBInstanceResult>"
                                + "</DeleteDBInstanceResponse>")));
        Instant seven = Instant.parse("2026-12-06T07:00:00Z");
        Group drilled = BackupPlans.parse(
                "shop",
                """
                engine: aws-backup
                iamRole: %s
                vault: vault-use1
                resources: [ "%s" ]
                rules:
                  - name: daily
                    schedule: cron(0 5 ? * * *)
                    startWindow: 60m
                    completionWindow: 120m
                    rpo: 26h
                    copyTo: [ { region: us-west-2, vault: vault-usw2 } ]
                restoreTests:
                  - name: daily-drill
                    schedule: cron(0 7 ? * * *)
                    rule: daily
                """
                        .formatted(ROLE, DB));
        AwsBackupEngine engine =
                new AwsBackupEngine(Map.of("us-east-1", east, "us-west-2", west), drilled.backup(), () -> seven);
        GroupBackups backups = new GroupBackups(drilled, engine, seven.minusSeconds(600));

        List<GroupEvent> events = new ArrayList<>(backups.tick(seven));
        events.addAll(backups.tick(seven.plusSeconds(90)));

        assertThat(events)
                .filteredOn(BackupRestoreTested.class::isInstance)
                .singleElement()
                .satisfies(e -> {
                    BackupRestoreTested tested = (BackupRestoreTested) e;
                    assertThat(tested.reason().code()).isEqualTo(ReasonCode.RESTORE_TEST_PASSED);
                    assertThat(tested.recoveryPointArn()).isEqualTo(copy);
                    assertThat(tested.restoreMillis()).isEqualTo(90_000L);
                    assertThat(tested.reason().message())
                            .isEqualTo(copy
                                    + " restored in us-west-2 and validated in 1 min 30 s, within the RTO of 15m.");
                });
        aws.verify(
                1,
                putRequestedFor(urlEqualTo("/restore-jobs"))
                        .withRequestBody(equalToJson(
                                """
                {"RecoveryPointArn":"%s","IamRoleArn":"%s","IdempotencyToken":"%s",
                 "Metadata":{"DBInstanceClass":"db.t3.micro","Engine":"postgres","DBInstanceIdentifier":"%s"}}
                """
                                        .formatted(copy, ROLE, name, name))));
        aws.verify(putRequestedFor(urlEqualTo("/restore-jobs/restore-1/validations"))
                .withRequestBody(equalToJson(
                        "{\"ValidationStatus\":\"SUCCESSFUL\",\"ValidationStatusMessage\":\"validated by drplane\"}")));
        aws.verify(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=DeleteDBInstance"))
                .withRequestBody(containing("DBInstanceIdentifier=" + name))
                .withRequestBody(containing("SkipFinalSnapshot=true")));
    }

    @Test
    void shouldReportAJobStillRunningAtTheEndOfItsCompletionWindowAsMissed() {
        aws.stubFor(put(urlEqualTo("/backup-jobs")).willReturn(json("{\"BackupJobId\":\"job-slow\"}")));
        aws.stubFor(get(urlEqualTo("/backup-jobs/job-slow"))
                .willReturn(json("{\"BackupJobId\":\"job-slow\",\"State\":\"RUNNING\"}")));
        GroupBackups backups = new GroupBackups(group, engine, SCHEDULED.minusSeconds(3600));
        backups.tick(SCHEDULED);
        assertThat(backups.tick(SCHEDULED.plus(Duration.ofMinutes(119)))).isEmpty();

        List<GroupEvent> events = backups.tick(SCHEDULED.plus(Duration.ofMinutes(120)));

        assertThat(events).singleElement().isInstanceOfSatisfying(BackupJobMissed.class, missed -> {
            assertThat(missed.reason().code()).isEqualTo(ReasonCode.BACKUP_COMPLETION_WINDOW_MISSED);
            assertThat(missed.reason().message())
                    .isEqualTo("daily started at 2026-12-06 05:00 UTC and did not complete within its 2h completion"
                            + " window; its recovery point does not count.");
        });
        assertThat(backups.tick(SCHEDULED.plus(Duration.ofMinutes(121))))
                .as("said once")
                .isEmpty();
    }

    @Test
    void shouldNeedNoActionBeyondItsIamPolicy() throws Exception {
        BackupIamPolicyIT.Recorder recorder = new BackupIamPolicyIT.Recorder();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        try (RegionClients recorded = new RegionClients(
                "us-east-1",
                Optional.of(URI.create(aws.baseUrl())),
                credentials,
                ResilienceSettings.defaults(),
                List.of(recorder))) {
            AwsBackupEngine engine = new AwsBackupEngine(
                    Map.of("us-east-1", recorded, "us-west-2", recorded), group.backup(), () -> SCHEDULED);
            aws.stubFor(put(urlEqualTo("/backup-jobs")).willReturn(json("{\"BackupJobId\":\"job-1\"}")));
            lifecycleOfJob("job-1", "COMPLETED");
            aws.stubFor(put(urlEqualTo("/copy-jobs")).willReturn(json("{\"CopyJobId\":\"copy-1\"}")));
            aws.stubFor(get(urlEqualTo("/copy-jobs/copy-1"))
                    .willReturn(json("{\"CopyJob\":{\"CopyJobId\":\"copy-1\",\"State\":\"RUNNING\"}}")));
            aws.stubFor(get(urlPathMatching("/backup-vaults/.*/recovery-points/?"))
                    .willReturn(json("{\"RecoveryPoints\":[{\"RecoveryPointArn\":\"" + POINT + "\",\"ResourceArn\":\""
                            + DB + "\",\"CreationDate\":1796446800,\"Status\":\"COMPLETED\"}]}")));
            aws.stubFor(get(urlPathMatching("/tags/.+")).willReturn(json("{\"Tags\":{}}")));
            engine.backupStatus(job(), engine.startBackup(job()).jobId());
            CopyJob copy = new CopyJob(
                    "shop",
                    "daily",
                    ResourceArn.of(DB),
                    "us-east-1",
                    "vault-use1",
                    POINT,
                    SCHEDULED,
                    "us-west-2",
                    "vault-usw2",
                    "c",
                    new Lifecycle(null, 90));
            engine.copyStatus(copy, engine.startCopy(copy).jobId());
            engine.recoveryPoints("shop", Set.of("daily"), "us-east-1");
            aws.stubFor(get(urlPathMatching("/backup-vaults/.+/recovery-points/.+/restore-metadata"))
                    .willReturn(json("{\"RestoreMetadata\":{}}")));
            aws.stubFor(put(urlEqualTo("/restore-jobs")).willReturn(json("{\"RestoreJobId\":\"restore-1\"}")));
            aws.stubFor(get(urlEqualTo("/restore-jobs/restore-1"))
                    .willReturn(json("{\"RestoreJobId\":\"restore-1\",\"Status\":\"COMPLETED\","
                            + "\"CreatedResourceArn\":\"arn:aws:rds:us-east-1:123456789012:db:drplane-rt-shop-t\"}")));
            aws.stubFor(put(urlEqualTo("/restore-jobs/restore-1/validations")).willReturn(json("{}")));
            aws.stubFor(post(urlEqualTo("/"))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", "text/xml")
                            .withBody("<DeleteDBInstanceResponse><DeleteDBInstanceResult><DBInstance>"
                                    + "<DBInstanceIdentifier>drplane-rt-shop-t</DBInstanceIdentifier></DBInstance>"
                                    + "</DeleteDBInstanceResult></DeleteDBInstanceResponse>")));
            RecoveryPoint point = new RecoveryPoint(
                    POINT, "us-east-1", ResourceArn.Kind.RDS_INSTANCE, "shop", "daily", "p", SCHEDULED, true, null);
            engine.startRestore(point, "drplane-rt-shop-t");
            engine.restoreStatus(point, "drplane-rt-shop-t");
            engine.reportValidation(point, "drplane-rt-shop-t", true, "ok");
            engine.deleteRestored(point, "drplane-rt-shop-t");
        }
        assertThat(recorder.actions)
                .contains(
                        "backup:StartBackupJob",
                        "backup:DescribeBackupJob",
                        "backup:StartCopyJob",
                        "backup:DescribeCopyJob",
                        "backup:ListRecoveryPointsByBackupVault",
                        "backup:ListTags",
                        "backup:GetRecoveryPointRestoreMetadata",
                        "backup:StartRestoreJob",
                        "backup:DescribeRestoreJob",
                        "backup:PutRestoreValidationResult",
                        "rds:DeleteDBInstance");
        assertThat(BackupIamPolicyIT.allowed(Path.of("..", "deploy", "iam", "backup-aws-backup.json")))
                .containsAll(recorder.actions)
                .noneMatch(a -> a.contains("*"));
    }

    private void lifecycleOfJob(String id, String... states) {
        String state = Scenario.STARTED;
        for (int i = 0; i < states.length; i++) {
            String next = i == states.length - 1 ? state : "after-" + states[i];
            aws.stubFor(get(urlEqualTo("/backup-jobs/" + id))
                    .inScenario(id)
                    .whenScenarioStateIs(state)
                    .willReturn(json("{\"BackupJobId\":\"" + id + "\",\"State\":\"" + states[i]
                            + "\",\"RecoveryPointArn\":\"" + POINT
                            + "\",\"CreationDate\":1796446800,\"BackupSizeInBytes\":1024}"))
                    .willSetStateTo(next));
            state = next;
        }
    }

    private BackupJob job() {
        return new BackupJob(
                "shop",
                "daily",
                "us-east-1",
                "vault-use1",
                ResourceArn.of(DB),
                "drplane-shop-daily-20261206t0500z-shop-db",
                SCHEDULED,
                SCHEDULED.plus(Duration.ofMinutes(60)),
                SCHEDULED.plus(Duration.ofMinutes(120)),
                new Lifecycle(null, 30));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(
            int status, String type, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-ErrorType", type)
                .withBody("{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}");
    }
}
