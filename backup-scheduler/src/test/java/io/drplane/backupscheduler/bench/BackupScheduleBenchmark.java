package io.drplane.backupscheduler.bench;

import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.BackupPlans;
import io.drplane.backupscheduler.MotoRegions;
import io.drplane.backupscheduler.kafka.BackupSchedulerLoop;
import io.drplane.backupscheduler.run.GroupBackups;
import io.drplane.backupscheduler.run.RestoreValidator;
import io.drplane.backupscheduler.schedule.TimeScale;
import io.drplane.events.BackupJobMissed;
import io.drplane.events.BackupJobStarted;
import io.drplane.events.EventData;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.MotoServer;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code bench/backup-scheduler [GROUPS=1000] [RULES_PER_GROUP=10] [TIME_SCALE=30] [PARALLELISM=16]}: one scheduler
 * instance owns every group (real broker, moto), each group one RDS instance and hourly rules spread over the hour
 * (rule r of group g at minute (g + 6r) mod 60, so every plan minute has its share and a group's own rules never
 * overlap). The plan's clock runs TIME_SCALE times faster, so one plan hour (every rule once: 10,000 jobs by default)
 * passes in 3600/TIME_SCALE seconds. Half-way through, the instance stops and a new one takes over, as after a crash
 * or a deploy. Prints: how late each job started against its scheduled time (p50, p99, max; with and without the runs
 * due while no instance owned the groups), the runs missed, started twice, or made twice in moto, and the live heap.
 */
public final class BackupScheduleBenchmark {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2");

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rulesPerGroup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long timeScale = args.length > 2 ? Long.parseLong(args[2]) : 30;
        int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        System.out.printf(
                Locale.ROOT,
                "%d groups x %d rules, plan clock %dx (one plan hour in %d s), %d threads%n",
                groups,
                rulesPerGroup,
                timeScale,
                3600 / timeScale,
                parallelism);

        URI endpoint = MotoServer.shared().endpoint();
        // the benchmark measures the scheduler: AWS's own rate limits are not the question here
        ResilienceSettings resilience =
                ResilienceSettings.of(5, Duration.ofMillis(100), 100_000, Duration.ofSeconds(30));
        try (MotoRegions aws = new MotoRegions(endpoint, resilience, List.of())) {
            createDatabases(aws, groups);
            Plan plan = PlanLoader.parse(plan(groups, rulesPerGroup), "bench.yml");
            try (Admin admin = SharedKafka.admin()) {
                new TopicProvisioner(admin).apply(TopicSpec.all(REGIONS), (short) 1);
            }
            KafkaClientConfig kafka = KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection());

            long heapBefore = liveHeap();
            // the plan hour starts 20 s from now (time to take the groups), on a whole plan hour
            Instant realStart = Instant.now().plusSeconds(20);
            Instant planStart = realStart.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            TimeScale scale = TimeScale.reaching(timeScale, planStart, realStart);
            Instant realEnd = scale.realTime(planStart.plus(Duration.ofHours(1)));

            Observed observed = new Observed();
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader = new Thread(() -> observed.read(kafka, reading), "bench-reader");
            reader.start();

            BackupSchedulerLoop first = loop(plan, kafka, aws, scale, "first", parallelism);
            start(first);
            Instant half = realStart.plus(Duration.between(realStart, realEnd).dividedBy(2));
            sleepUntil(half);
            long heapRunning = liveHeap();
            Instant stopped = Instant.now();
            first.close();
            BackupSchedulerLoop second = loop(plan, kafka, aws, scale, "second", parallelism);
            start(second);
            second.awaitAssigned(Duration.ofSeconds(60));
            while (second.ownedGroups() < groups) {
                Thread.sleep(50);
            }
            Instant takenOver = Instant.now();
            // the last runs of the hour, plus time to start them
            sleepUntil(realEnd.plusSeconds(5));
            second.close();
            Thread.sleep(2_000);
            reading.set(false);
            reader.join();

            report(observed, planStart, scale, groups * rulesPerGroup, stopped, takenOver);
            System.out.printf(
                    Locale.ROOT,
                    "snapshots in moto: %d (one per run: %s)%n",
                    snapshotsIn(aws),
                    snapshotsIn(aws) == observed.distinctStarts() ? "yes" : "NO");
            System.out.printf(
                    Locale.ROOT,
                    "live heap of the scheduler (after GC, running, minus before it started): %.1f MB%n",
                    (heapRunning - heapBefore) / 1e6);
        }
        System.exit(0);
    }

    /** What the scheduler published: every start and every miss. */
    private static final class Observed {
        final List<BackupJobStarted> started = new ArrayList<>();
        final List<BackupJobMissed> missed = new ArrayList<>();

        void read(KafkaClientConfig kafka, AtomicBoolean reading) {
            try (KafkaConsumer<String, byte[]> consumer = TestConsumers.fromBeginning(
                    kafka.bootstrapServers(), kafka.connection(), TopicFamily.BACKUP.topic())) {
                while (reading.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        EventData data;
                        try {
                            data = EventCodec.instance().decode(record.value()).data();
                        } catch (EventDecodingException e) {
                            throw new IllegalStateException("the scheduler published an unreadable record", e);
                        }
                        synchronized (this) {
                            if (data instanceof BackupJobStarted s) {
                                started.add(s);
                            } else if (data instanceof BackupJobMissed m) {
                                missed.add(m);
                            }
                        }
                    }
                }
            }
        }

        synchronized long distinctStarts() {
            return started.stream()
                    .map(s -> s.group() + "/" + s.rule() + "/" + s.scheduledFor())
                    .distinct()
                    .count();
        }
    }

    private static void report(
            Observed observed, Instant planStart, TimeScale scale, int rules, Instant stopped, Instant takenOver) {
        Instant from = scale.realTime(planStart);
        Instant to = scale.realTime(planStart.plus(Duration.ofHours(1)));
        List<Long> all = new ArrayList<>();
        List<Long> owned = new ArrayList<>();
        Map<String, Integer> starts = new HashMap<>();
        for (BackupJobStarted s : observed.started) {
            if (s.scheduledFor().isBefore(from) || !s.scheduledFor().isBefore(to)) {
                continue;
            }
            starts.merge(s.group() + "/" + s.rule() + "/" + s.scheduledFor(), 1, Integer::sum);
            long late = Duration.between(s.scheduledFor(), s.startedAt()).toMillis();
            all.add(late);
            boolean dueWhileNobodyOwned =
                    !s.scheduledFor().isBefore(stopped) && s.scheduledFor().isBefore(takenOver);
            if (!dueWhileNobodyOwned) {
                owned.add(late);
            }
        }
        long doubled = starts.values().stream().filter(n -> n > 1).count();
        long missed = observed.missed.stream()
                .filter(m ->
                        !m.scheduledFor().isBefore(from) && m.scheduledFor().isBefore(to))
                .count();
        System.out.printf(
                Locale.ROOT,
                "runs due in the plan hour: %d; started: %d; started twice: %d; missed: %d; neither: %d%n",
                rules,
                starts.size(),
                doubled,
                missed,
                rules - starts.size() - missed);
        System.out.printf(
                Locale.ROOT,
                "start delay, runs due while an instance owned the groups (%d): %s%n",
                owned.size(),
                percentiles(owned));
        System.out.printf(
                Locale.ROOT,
                "start delay, all runs, the %.1f s without an owner included (%d): %s%n",
                Duration.between(stopped, takenOver).toMillis() / 1000.0,
                all.size(),
                percentiles(all));
    }

    private static String percentiles(List<Long> millis) {
        if (millis.isEmpty()) {
            return "none";
        }
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format(
                Locale.ROOT,
                "p50 %d ms, p99 %d ms, max %d ms",
                sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.get(sorted.size() - 1));
    }

    private static BackupSchedulerLoop loop(
            Plan plan, KafkaClientConfig kafka, MotoRegions aws, TimeScale scale, String instance, int parallelism) {
        return new BackupSchedulerLoop(
                plan,
                kafka,
                instance,
                URI.create("/drplane/backup-scheduler/" + instance),
                (group, activated) -> new GroupBackups(group, aws.engine, RestoreValidator.AVAILABLE, scale, activated),
                Clock.systemUTC(),
                Duration.ofMillis(100),
                Duration.ofHours(6),
                parallelism);
    }

    private static void start(BackupSchedulerLoop loop) {
        Thread thread = new Thread(loop, "backup-scheduler-loop");
        thread.setDaemon(true);
        thread.start();
    }

    private static String plan(int groups, int rulesPerGroup) {
        String[] entries = new String[groups];
        for (int g = 0; g < groups; g++) {
            StringBuilder backup = new StringBuilder(
                    "vault: bench\nresources: [ \"arn:aws:rds:us-east-1:123456789012:db:" + id(g) + "\" ]\nrules:\n");
            for (int r = 0; r < rulesPerGroup; r++) {
                backup.append(String.format(
                        Locale.ROOT,
                        "  - name: r%d%n    schedule: cron(%d * * * ? *)%n    startWindow: 60m%n"
                                + "    completionWindow: 120m%n    rpo: 3h%n    lifecycle: { deleteAfterDays: 1 }%n",
                        r,
                        (g + 6 * r) % 60));
            }
            entries[g] = BackupPlans.group(id(g), backup.toString());
        }
        return BackupPlans.plan(entries);
    }

    private static String id(int group) {
        return String.format(Locale.ROOT, "g%04d", group);
    }

    private static void createDatabases(MotoRegions aws, int groups) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int g = 0; g < groups; g++) {
            String id = id(g);
            pool.submit(() -> aws.createDatabase(id));
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }

    private static long snapshotsIn(MotoRegions aws) {
        return aws.east.rds().describeDBSnapshotsPaginator(r -> r.snapshotType("manual")).dbSnapshots().stream()
                .filter(s -> s.dbSnapshotIdentifier().startsWith("drplane-"))
                .count();
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long millis = Duration.between(Instant.now(), at).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
