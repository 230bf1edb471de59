package io.drplane.backupscheduler.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.BackupPlans;
import io.drplane.backupscheduler.MotoRegions;
import io.drplane.backupscheduler.engine.NativeEngine;
import io.drplane.backupscheduler.engine.RegionClients;
import io.drplane.backupscheduler.schedule.TimeScale;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.BackupJobMissed;
import io.drplane.events.BackupJobStarted;
import io.drplane.events.GroupEvent;
import io.drplane.events.ReasonCode;
import io.drplane.events.RecoveryPointExpired;
import io.drplane.events.RpoBreached;
import io.drplane.events.RpoRestored;
import io.drplane.plan.Group;
import io.drplane.testsupport.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * A group's backup rules run against moto on a clock the test moves: jobs, copies, missed windows, a new owner that
 * neither skips nor doubles, overlapping rules, lifecycle and RPO. Snapshots complete at once in moto, so a tick that
 * starts a job also sees it complete.
 */
class GroupBackupsMotoIT {

    /** A Sunday, 04:00 UTC: the daily and the weekly rule are both due at 05:00. */
    private static final Instant ACTIVATED = Instant.parse("2026-12-06T04:00:00Z");

    private static MotoRegions aws;
    private static RegionClients east;
    private static RegionClients west;
    private static NativeEngine engine;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String db = "db-" + suffix;
    private final Group group = group("cron(0 5 ? * * *)");

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

    private Group group(String dailySchedule) {
        return BackupPlans.parse(
                "g" + suffix,
                """
                vault: vault-use1
                resources: [ "arn:aws:rds:us-east-1:123456789012:db:%s" ]
                rules:
                  - name: daily
                    schedule: %s
                    startWindow: 60m
                    completionWindow: 120m
                    rpo: 26h
                    lifecycle: { deleteAfterDays: 30 }
                    copyTo: [ { region: us-west-2, vault: vault-usw2, lifecycle: { deleteAfterDays: 90 } } ]
                  - name: weekly
                    schedule: cron(0 5 ? * SUN *)
                    startWindow: 60m
                    completionWindow: 120m
                    rpo: 170h
                    lifecycle: { deleteAfterDays: 365 }
                """
                        .formatted(db, dailySchedule));
    }

    private void createDatabase() {
        aws.createDatabase(db);
    }

    @Test
    void shouldRunOverlappingRulesAsOneRecoveryPointCopyItAndTellEachRule() {
        createDatabase();
        GroupBackups backups = new GroupBackups(group, engine, ACTIVATED);
        assertThat(backups.tick(at("04:59"))).isEmpty();
        assertThat(backups.nextDue()).contains(at("05:00"));

        List<GroupEvent> events = backups.tick(at("05:00"));

        assertThat(events).filteredOn(BackupJobStarted.class::isInstance).hasSize(2);
        List<BackupJobCompleted> completed = of(events, BackupJobCompleted.class);
        assertThat(completed).extracting(BackupJobCompleted::rule).containsExactly("daily", "weekly");
        assertThat(completed)
                .extracting(BackupJobCompleted::recoveryPointArn)
                .as("rules due together make one recovery point")
                .containsOnly("arn:aws:rds:us-east-1:123456789012:snapshot:drplane-g" + suffix
                        + "-weekly-20261206t0500z-" + db);
        assertThat(manualSnapshots(east, db)).singleElement().satisfies(s -> assertThat(s.tagList())
                .anySatisfy(t -> {
                    assertThat(t.key()).isEqualTo(NativeEngine.TAG_DELETE_AFTER);
                    assertThat(t.value())
                            .as("kept as long as the longest rule (weekly, 365 days)")
                            .isEqualTo(at("05:00").plus(Duration.ofDays(365)).toString());
                }));
        BackupCopyCompleted copy = of(events, BackupCopyCompleted.class).get(0);
        assertThat(copy.destinationRegion()).isEqualTo("us-west-2");
        assertThat(copy.sourceCreatedAt()).isEqualTo(completed.get(0).createdAt());
        assertThat(backups.tick(at("05:01"))).as("nothing twice").isEmpty();
    }

    /**
     * A day in a minute (the local stack's game days): moto stamps points with the real time, and the windows, the
     * RPO and the retention shrink with the schedule, so the ages still add up.
     */
    @Test
    void shouldRunOnACompressedClockWithWindowsRpoAndRetentionCompressedAlike() {
        createDatabase();
        Instant now = Instant.now();
        Instant fiveOClock = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(29));
        TimeScale dayAMinute = TimeScale.reaching(1440, fiveOClock, now);
        NativeEngine compressedEngine = new NativeEngine(
                java.util.Map.of("us-east-1", east, "us-west-2", west), Instant::now, dayAMinute, Duration.ZERO);
        Group daily = BackupPlans.parse(
                "g" + suffix,
                """
                vault: vault-use1
                resources: [ "arn:aws:rds:us-east-1:123456789012:db:%s" ]
                rules:
                  - name: daily
                    schedule: cron(0 5 ? * * *)
                    startWindow: 60m
                    completionWindow: 120m
                    rpo: 26h
                    lifecycle: { deleteAfterDays: 30 }
                    copyTo: [ { region: us-west-2, vault: vault-usw2, lifecycle: { deleteAfterDays: 90 } } ]
                """
                        .formatted(db));
        GroupBackups backups =
                new GroupBackups(daily, compressedEngine, RestoreValidator.AVAILABLE, dayAMinute, now.minusSeconds(1));
        Instant due = dayAMinute.realTime(fiveOClock);

        List<GroupEvent> first = backups.tick(due);

        BackupJobCompleted completed = of(first, BackupJobCompleted.class).get(0);
        assertThat(of(first, BackupCopyCompleted.class)).hasSize(1);
        assertThat(manualSnapshots(east, db)).singleElement().satisfies(s -> assertThat(s.tagList())
                .anySatisfy(t -> {
                    assertThat(t.key()).isEqualTo(NativeEngine.TAG_DELETE_AFTER);
                    assertThat(t.value())
                            .as("30 days on a clock 1440 times faster: 30 minutes")
                            .isEqualTo(due.plus(Duration.ofMinutes(30)).toString());
                }));

        // the next run (60 s on) finds AWS no better than before: its 2.5 s start window passes, and the point is
        // then older than the 26 h / 1440 = 65 s RPO
        List<GroupEvent> later = backups.tick(completed.createdAt().plusSeconds(70));

        assertThat(of(later, BackupJobMissed.class)).singleElement().satisfies(missed -> {
            assertThat(missed.reason().code()).isEqualTo(ReasonCode.BACKUP_WINDOW_MISSED);
            assertThat(missed.reason().message()).contains("start window");
        });
        assertThat(of(later, RpoBreached.class))
                .extracting(RpoBreached::name)
                .containsExactlyInAnyOrder("daily@us-east-1", "daily@us-west-2");
        assertThat(of(later, RpoBreached.class))
                .allSatisfy(b -> assertThat(b.rpoMillis()).isEqualTo(65_000));
    }

    @Test
    void shouldLetANewOwnerFinishAJobItDidNotStartWithoutASecondSnapshot() {
        createDatabase();
        GroupBackups first = new GroupBackups(group, engine, ACTIVATED);
        List<GroupEvent> events = first.tick(at("05:00"));
        BackupJobStarted started = of(events, BackupJobStarted.class).get(0);

        // the first owner published only that it started, then died; the next one rebuilds from the topic
        GroupBackups next = new GroupBackups(group, engine, ACTIVATED);
        for (GroupEvent e : events) {
            if (e instanceof BackupJobStarted) {
                next.remember(e, started.startedAt());
            }
        }
        List<GroupEvent> after = next.tick(at("05:20"));

        assertThat(after)
                .filteredOn(BackupJobStarted.class::isInstance)
                .as("not started again")
                .isEmpty();
        assertThat(of(after, BackupJobCompleted.class))
                .extracting(BackupJobCompleted::jobId)
                .containsOnly(started.jobId());
        assertThat(of(after, BackupCopyCompleted.class)).hasSize(1);
        assertThat(manualSnapshots(east, db)).hasSize(1);
        assertThat(manualSnapshots(west, null).stream()
                        .filter(s -> s.dbSnapshotIdentifier().contains(suffix))
                        .toList())
                .hasSize(1);
    }

    @Test
    void shouldReportRunsMissedWhileNobodyOwnedTheGroupAndRunOnlyTheLatest() {
        createDatabase();
        GroupBackups backups = new GroupBackups(group, engine, ACTIVATED);
        backups.tick(at("05:00"));

        // down from Sunday 05:10 until Wednesday 05:30: Monday and Tuesday are missed, Wednesday still runs
        List<GroupEvent> events =
                backups.tick(ACTIVATED.plus(Duration.ofDays(3)).plus(Duration.ofMinutes(90)));

        List<BackupJobMissed> missed = of(events, BackupJobMissed.class);
        assertThat(missed)
                .extracting(m -> m.scheduledFor().toString())
                .containsExactly("2026-12-07T05:00:00Z", "2026-12-08T05:00:00Z");
        assertThat(missed.get(0).reason().code()).isEqualTo(ReasonCode.BACKUP_WINDOW_MISSED);
        assertThat(missed.get(0).reason().message())
                .isEqualTo("daily was due at 2026-12-07 05:00 UTC and did not start within its 1h start window"
                        + " (no scheduler owned the group then).");
        assertThat(of(events, BackupJobStarted.class)).singleElement().satisfies(s -> assertThat(s.scheduledFor())
                .isEqualTo(Instant.parse("2026-12-09T05:00:00Z")));
    }

    @Test
    void shouldReportAJobThatCouldNotStartWithinItsWindowWithTheError() {
        // us-east-1 answers nothing: every attempt is refused, retried with backoff, and the run is missed once its
        // window closes, with the error
        ResilienceSettings quick = new ResilienceSettings(
                2,
                Duration.ofMillis(10),
                2.0,
                Duration.ofMillis(20),
                0.1,
                50f,
                10,
                10,
                Duration.ofSeconds(1),
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        try (MotoRegions dead =
                new MotoRegions(URI.create("http://127.0.0.1:" + MotoServer.freePort()), quick, List.of())) {
            GroupBackups backups = new GroupBackups(group, dead.engine, ACTIVATED);
            assertThat(backups.tick(at("05:00"))).isEmpty();
            assertThat(backups.tick(at("05:30"))).isEmpty();
            List<GroupEvent> events = backups.tick(at("06:00"));
            assertThat(of(events, BackupJobMissed.class))
                    .extracting(BackupJobMissed::rule)
                    .containsExactly("daily", "weekly");
            assertThat(of(events, BackupJobMissed.class).get(0).reason().message())
                    .startsWith("daily was due at 2026-12-06 05:00 UTC and could not start within its 1h start window:"
                            + " ClientError");
        }
    }

    @Test
    void shouldBreachTheRpoWhenNoPointIsTakenAndRestoreItWithTheNextBackup() {
        createDatabase();
        // moto stamps a snapshot with the real time, so this story ends now: a daily rate rule that began two days
        // ago, whose first run nobody started
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant began = now.minus(Duration.ofDays(2));
        GroupBackups backups = new GroupBackups(group("rate(1 day)"), engine, began);

        List<GroupEvent> late = backups.tick(began.plus(Duration.ofHours(27)));
        assertThat(of(late, RpoBreached.class))
                .extracting(RpoBreached::name)
                .containsExactly("daily@us-east-1", "daily@us-west-2");
        assertThat(of(late, RpoBreached.class).get(0).reason().message())
                .isEqualTo("daily@us-east-1 has no recovery point 27h after its rule began, over the 26h RPO.");
        assertThat(of(late, RpoBreached.class).get(0).reason().code()).isEqualTo(ReasonCode.RPO_BREACHED);

        List<GroupEvent> caughtUp = backups.tick(now);
        assertThat(of(caughtUp, RpoRestored.class))
                .extracting(RpoRestored::name)
                .as("the backup and its copy bring both regions back")
                .containsExactly("daily@us-east-1", "daily@us-west-2");
    }

    @Test
    void shouldDeleteWhatOutlivedItsRetentionAndNothingElse() {
        createDatabase();
        GroupBackups backups = new GroupBackups(group, engine, Instant.parse("2026-12-07T04:00:00Z"));
        backups.tick(Instant.parse("2026-12-07T05:00:00Z")); // Monday: daily only, 30 days here and 90 in us-west-2

        assertThat(backups.sweep(Instant.parse("2027-01-06T04:59:00Z"))).isEmpty();
        List<GroupEvent> swept = backups.sweep(Instant.parse("2027-01-06T05:00:00Z"));

        assertThat(of(swept, RecoveryPointExpired.class)).singleElement().satisfies(e -> assertThat(e.region())
                .isEqualTo("us-east-1"));
        assertThat(manualSnapshots(east, db)).isEmpty();
        assertThat(backups.sweep(Instant.parse("2027-01-06T06:00:00Z")))
                .as("deleted once")
                .isEmpty();
    }

    private static List<DBSnapshot> manualSnapshots(RegionClients region, String instance) {
        return region
                .rds()
                .describeDBSnapshots(r -> {
                    if (instance != null) {
                        r.dbInstanceIdentifier(instance);
                    }
                })
                .dbSnapshots()
                .stream()
                .filter(s -> "manual".equals(s.snapshotType()))
                .toList();
    }

    private static <T> List<T> of(List<GroupEvent> events, Class<T> type) {
        List<T> out = new ArrayList<>();
        events.stream().filter(type::isInstance).map(type::cast).forEach(out::add);
        return out;
    }

    private static Instant at(String hhmm) {
        return Instant.parse("2026-12-06T" + hhmm + ":00Z");
    }
}
