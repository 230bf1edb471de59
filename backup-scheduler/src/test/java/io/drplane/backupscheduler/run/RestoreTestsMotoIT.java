package io.drplane.backupscheduler.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.backupscheduler.BackupPlans;
import io.drplane.backupscheduler.MotoRegions;
import io.drplane.backupscheduler.engine.NativeEngine;
import io.drplane.backupscheduler.engine.RegionClients;
import io.drplane.events.BackupRestoreTested;
import io.drplane.events.GroupEvent;
import io.drplane.events.ReasonCode;
import io.drplane.plan.Group;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restore tests against moto on a clock the test moves: the copy in the DR region is restored under a temporary name,
 * timed against the RTO, validated and deleted; a missing point, a failing validation and a leftover are handled.
 */
class RestoreTestsMotoIT {

    private static MotoRegions aws;
    private static RegionClients west;
    private static NativeEngine engine;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String db = "db-" + suffix;
    private final Group group = BackupPlans.parse(
            "r" + suffix,
            """
            vault: vault-use1
            resources: [ "arn:aws:rds:us-east-1:123456789012:db:%s" ]
            rules:
              - name: daily
                schedule: cron(0 5 ? * * *)
                startWindow: 60m
                completionWindow: 120m
                rpo: 26h
                copyTo: [ { region: us-west-2, vault: vault-usw2 } ]
            restoreTests:
              - name: drill
                schedule: cron(0 6 ? * * *)
                rule: daily
            """
                    .formatted(db));

    @BeforeAll
    static void clients() {
        aws = new MotoRegions();
        west = aws.west;
        engine = aws.engine;
    }

    @AfterAll
    static void close() {
        aws.close();
    }

    private void createDatabase() {
        aws.createDatabase(db);
    }

    @Test
    void shouldRestoreTheCopyInTheDrRegionTimeItValidateItAndDeleteIt() {
        createDatabase();
        GroupBackups backups = new GroupBackups(group, engine, at("04:00"));
        backups.tick(at("05:00")); // the backup and its copy to us-west-2
        assertThat(backups.tick(at("06:00")))
                .as("the restore starts; it is timed from here")
                .isEmpty();
        assertThat(west.rds().describeDBInstances().dbInstances()).anySatisfy(i -> assertThat(i.dbInstanceIdentifier())
                .isEqualTo("drplane-rt-r" + suffix + "-drill-20261207060000"));

        List<GroupEvent> events = backups.tick(at("06:04"));

        BackupRestoreTested tested = (BackupRestoreTested) events.get(0);
        assertThat(tested.reason().code()).isEqualTo(ReasonCode.RESTORE_TEST_PASSED);
        assertThat(tested.region()).isEqualTo("us-west-2");
        assertThat(tested.restoreMillis()).isEqualTo(240_000L);
        assertThat(tested.rtoMillis()).isEqualTo(900_000L);
        assertThat(tested.validated()).isTrue();
        assertThat(tested.reason().message())
                .endsWith("restored in us-west-2 and validated in 4 min 0 s, within the RTO of 15m.");
        assertThat(west.rds().describeDBInstances().dbInstances())
                .as("a restore test leaves nothing behind")
                .noneMatch(i -> i.dbInstanceIdentifier().startsWith("drplane-rt-r" + suffix));
    }

    @Test
    void shouldReportARestoreSlowerThanTheRto() {
        createDatabase();
        GroupBackups backups = new GroupBackups(group, engine, at("04:00"));
        backups.tick(at("05:00"));
        backups.tick(at("06:00"));
        BackupRestoreTested tested =
                (BackupRestoreTested) backups.tick(at("06:20")).get(0);
        assertThat(tested.reason().code()).isEqualTo(ReasonCode.RESTORE_SLOWER_THAN_RTO);
        assertThat(tested.reason().message()).endsWith("validated in 20 min 0 s, longer than the RTO of 15m.");
    }

    @Test
    void shouldFailARestoreTestWithNothingToRestoreOrAFailingValidation() {
        createDatabase();
        // no backup ran: nothing in us-west-2
        GroupBackups empty = new GroupBackups(group, engine, at("05:30"));
        BackupRestoreTested nothing =
                (BackupRestoreTested) empty.tick(at("06:00")).get(0);
        assertThat(nothing.reason().code()).isEqualTo(ReasonCode.RESTORE_TEST_FAILED);
        assertThat(nothing.reason().message())
                .isEqualTo("drill: no usable recovery point of daily in us-west-2 to restore.");
        assertThat(nothing.validated()).isFalse();

        GroupBackups checked = new GroupBackups(
                group, engine, restored -> Optional.of("SELECT count(*) FROM orders returned 0"), at("04:00"));
        checked.tick(at("05:00"));
        checked.tick(at("06:00"));
        BackupRestoreTested invalid =
                (BackupRestoreTested) checked.tick(at("06:05")).get(0);
        assertThat(invalid.reason().code()).isEqualTo(ReasonCode.RESTORE_TEST_FAILED);
        assertThat(invalid.reason().message()).endsWith("failed: SELECT count(*) FROM orders returned 0");
        assertThat(west.rds().describeDBInstances().dbInstances())
                .as("deleted even when the validation fails")
                .noneMatch(i -> i.dbInstanceIdentifier().startsWith("drplane-rt-r" + suffix));
    }

    @Test
    void shouldDeleteWhatACrashedRestoreTestLeftBehind() {
        createDatabase();
        GroupBackups first = new GroupBackups(group, engine, at("04:00"));
        first.tick(at("05:00"));
        first.tick(at("06:00")); // restoring, then the owner dies
        GroupBackups next = new GroupBackups(group, engine, at("06:10"));
        next.sweep(at("06:10"));
        assertThat(west.rds().describeDBInstances().dbInstances())
                .noneMatch(i -> i.dbInstanceIdentifier().startsWith("drplane-rt-r" + suffix));
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-12-07T" + hhmm + ":00Z");
    }
}
