package io.drplane.backupscheduler.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.backupscheduler.BackupPlans;
import io.drplane.backupscheduler.MotoRegions;
import io.drplane.backupscheduler.engine.NativeEngine;
import io.drplane.backupscheduler.engine.RegionClients;
import io.drplane.backupscheduler.run.GroupBackups;
import io.drplane.events.BackupCopyCompleted;
import io.drplane.events.BackupJobCompleted;
import io.drplane.events.BackupJobStarted;
import io.drplane.events.EventData;
import io.drplane.events.GroupEvent;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.SettableClock;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's loop on the shared SASL broker with the backup scheduler's own principal and shipped ACLs, against
 * moto: Kafka's partition assignment decides which instance schedules which group, two instances never both run a
 * group's job, and an instance that takes a group over from a stopped one neither skips nor doubles a job.
 */
class BackupSchedulerLoopIT {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2");
    /** Just before the daily rule is due. */
    private static final Instant START = Instant.parse("2026-12-07T04:59:00Z");

    private static KafkaClientConfig schedulerKafka;
    private static MotoRegions aws;
    private static RegionClients east;
    private static NativeEngine engine;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> groups = List.of("a" + suffix, "b" + suffix, "c" + suffix, "d" + suffix);
    private final SettableClock clock = new SettableClock(START);

    @BeforeAll
    static void setUp() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(REGIONS), (short) 1);
        }
        schedulerKafka = KafkaClientConfig.of(
                SharedKafka.bootstrapServers(),
                SharedKafka.principal(
                        "backup-scheduler-it",
                        p -> ServiceAcls.of(ServiceAcls.Service.BACKUP_SCHEDULER, p, null, REGIONS)));
        aws = new MotoRegions();
        east = aws.east;
        engine = aws.engine;
    }

    @AfterAll
    static void tearDown() {
        aws.close();
    }

    @Test
    void shouldScheduleEachGroupOnceAcrossTwoInstancesAndATakeover() throws Exception {
        Plan plan = PlanLoader.parse(plan(), "backups.yml");
        groups.forEach(group -> aws.createDatabase("db-" + group));
        List<GroupEvent> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> backups = TestConsumers.fromBeginning(
                SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.BACKUP.topic())) {
            BackupSchedulerLoop first = loop(plan, "first");
            BackupSchedulerLoop second = loop(plan, "second");
            try {
                start(first);
                start(second);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> first.ownedGroups() + second.ownedGroups() == groups.size());

                clock.set(Instant.parse("2026-12-07T05:00:00Z"));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    read(backups, seen);
                    return groups.stream().allMatch(g -> count(seen, BackupCopyCompleted.class, g) == 1);
                });
            } finally {
                first.close();
            }
            // the second instance takes the first one's groups over, in the middle of the start window
            await().atMost(Duration.ofSeconds(60)).until(() -> second.ownedGroups() == groups.size());
            clock.set(Instant.parse("2026-12-07T05:30:00Z"));
            BackupSchedulerLoop third = loop(plan, "third");
            try {
                start(third);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> second.ownedGroups() + third.ownedGroups() == groups.size());
                // the next day's run, after a takeover and a rebalance
                clock.set(Instant.parse("2026-12-08T05:00:00Z"));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    read(backups, seen);
                    return groups.stream().allMatch(g -> count(seen, BackupCopyCompleted.class, g) == 2);
                });
            } finally {
                second.close();
                third.close();
            }
        }
        for (String group : groups) {
            assertThat(count(seen, BackupJobStarted.class, group))
                    .as(group + ": one job per day")
                    .isEqualTo(2);
            assertThat(count(seen, BackupJobCompleted.class, group)).isEqualTo(2);
            assertThat(east.rds()
                            .describeDBSnapshots(r -> r.dbInstanceIdentifier("db-" + group))
                            .dbSnapshots())
                    .filteredOn(s -> "manual".equals(s.snapshotType()))
                    .as(group + ": one snapshot per run in moto")
                    .hasSize(2);
        }
    }

    private BackupSchedulerLoop loop(Plan plan, String instance) {
        return new BackupSchedulerLoop(
                plan,
                schedulerKafka,
                instance,
                URI.create("/drplane/backup-scheduler/" + instance),
                (group, activated) -> new GroupBackups(group, engine, activated),
                clock,
                Duration.ofMillis(100),
                Duration.ofHours(1),
                4);
    }

    private static void start(BackupSchedulerLoop loop) {
        Thread thread = new Thread(loop, "loop");
        thread.setDaemon(true);
        thread.start();
    }

    private String plan() {
        return BackupPlans.plan(groups.stream()
                .map(group -> BackupPlans.group(
                        group,
                        """
                        vault: vault-use1
                        resources: [ "arn:aws:rds:us-east-1:123456789012:db:db-%s" ]
                        rules:
                          - name: daily
                            schedule: cron(0 5 ? * * *)
                            startWindow: 60m
                            completionWindow: 120m
                            rpo: 26h
                            lifecycle: { deleteAfterDays: 30 }
                            copyTo: [ { region: us-west-2, vault: vault-usw2 } ]
                        """
                                .formatted(group)))
                .toArray(String[]::new));
    }

    private static void read(KafkaConsumer<String, byte[]> consumer, List<GroupEvent> seen) throws Exception {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            EventData data = EventCodec.instance().decode(record.value()).data();
            if (data instanceof GroupEvent event) {
                seen.add(event);
            }
        }
    }

    private static long count(List<GroupEvent> seen, Class<? extends GroupEvent> type, String group) {
        Predicate<GroupEvent> match = e -> type.isInstance(e) && e.group().equals(group);
        return seen.stream().filter(match).count();
    }
}
