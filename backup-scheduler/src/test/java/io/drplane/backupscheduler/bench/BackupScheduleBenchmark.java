package io.drplane.backupscheduler.bench;

import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.MotoRegions;
import io.drplane.backupscheduler.engine.BackupEngine;
import io.drplane.backupscheduler.engine.NativeEngine;
import io.drplane.backupscheduler.engine.RegionClients;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code bench/backup-scheduler [GROUPS=1000] [RULES_PER_GROUP=10] [TIME_SCALE=30] [PARALLELISM=16] [AWS=timed|moto]
 * [LATENCY_MS=50]}: one scheduler instance owns every group (a real broker), each group one EBS volume in one of ten
 * regions and hourly rules spread over the hour (rule r of group g at minute (g + 6r) mod 60, so every plan minute has
 * its share and a group's own rules never overlap). The plan's clock runs TIME_SCALE times faster, so one plan hour
 * (every rule once: 10,000 jobs by default) passes in 3600/TIME_SCALE seconds. Half-way through, the instance stops
 * and a new one takes over, as after a crash or a deploy. AWS is either moto (real calls; it holds up to a few hundred
 * jobs a minute) or, for the scale figure, an engine that answers every call after LATENCY_MS ({@link TimedEngine}).
 * Prints: how late each job started against its scheduled time (p50, p99, max; with and without the runs due while no
 * instance owned the groups), the runs missed, started twice, or made twice, and the scheduler's live heap.
 */
public final class BackupScheduleBenchmark {

    /** A fleet spread over ten regions, as a thousand applications would be (and moto scans a region's snapshots). */
    private static final List<String> REGIONS = List.of(
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "eu-west-1",
            "eu-west-2",
            "eu-central-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-northeast-1");

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rulesPerGroup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long timeScale = args.length > 2 ? Long.parseLong(args[2]) : 30;
        int parallelism = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        boolean onMoto = args.length > 4 && args[4].equals("moto");
        Duration latency = Duration.ofMillis(args.length > 5 ? Long.parseLong(args[5]) : 50);
        System.out.printf(
                Locale.ROOT,
                "%d groups x %d rules, plan clock %dx (one plan hour in %d s), %d threads, AWS: %s%n",
                groups,
                rulesPerGroup,
                timeScale,
                3600 / timeScale,
                parallelism,
                onMoto ? "moto" : "every call answered after " + latency.toMillis() + " ms (in memory)");

        URI endpoint = MotoServer.shared().endpoint();
        // the benchmark measures the scheduler: AWS's own rate limits are not the question here
        ResilienceSettings resilience =
                ResilienceSettings.of(5, Duration.ofMillis(100), 100_000, Duration.ofSeconds(30));
        Map<String, RegionClients> aws = new java.util.TreeMap<>();
        for (String region : REGIONS) {
            aws.put(
                    region,
                    new RegionClients(
                            region, java.util.Optional.of(endpoint), MotoRegions.CREDENTIALS, resilience, List.of()));
        }
        try {
            List<String> volumes = onMoto ? createVolumes(aws, groups) : volumeNames(groups);
            TimedEngine timed = new TimedEngine(latency);
            Function<TimeScale, BackupEngine> engines = onMoto
                    // as the service builds it: one listing per region shared by every group's sweep for 30 s
                    ? scale -> new NativeEngine(aws, Instant::now, scale, Duration.ofSeconds(30))
                    // AWS keeps what it made across the takeover: one engine for both instances
                    : scale -> timed;
            Plan plan = PlanLoader.parse(plan(volumes, rulesPerGroup), "bench.yml");
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

            BackupSchedulerLoop first = loop(plan, kafka, engines.apply(scale), scale, "first", parallelism);
            start(first);
            Instant half = realStart.plus(Duration.between(realStart, realEnd).dividedBy(2));
            sleepUntil(half);
            long heapRunning = liveHeap();
            Instant stopped = Instant.now();
            first.close();
            BackupSchedulerLoop second = loop(plan, kafka, engines.apply(scale), scale, "second", parallelism);
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
            long made = onMoto ? snapshotsIn(aws) : timed.pointsMade();
            System.out.printf(
                    Locale.ROOT,
                    "recovery points made %s over the whole run: %d; runs started over the whole run: %d (one point each: %s)%n",
                    onMoto ? "in moto" : "in memory",
                    made,
                    observed.distinctStarts(),
                    made == observed.distinctStarts() ? "yes" : "NO");
            System.out.printf(
                    Locale.ROOT,
                    "live heap of the scheduler (after GC, running, minus before it started): %.1f MB%n",
                    (heapRunning - heapBefore) / 1e6);
        } finally {
            aws.values().forEach(RegionClients::close);
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
            Plan plan,
            KafkaClientConfig kafka,
            BackupEngine engine,
            TimeScale scale,
            String instance,
            int parallelism) {
        return new BackupSchedulerLoop(
                plan,
                kafka,
                instance,
                URI.create("/drplane/backup-scheduler/" + instance),
                (group, activated) -> new GroupBackups(group, engine, RestoreValidator.AVAILABLE, scale, activated),
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

    /** {@code volumes}: one EBS volume per group (RDS allows 100 manual snapshots per region, EBS 100,000). */
    private static String plan(List<String> volumes, int rulesPerGroup) {
        StringBuilder plan = new StringBuilder("version: 1\nvantagePoints: [a, b, c]\ngroups:\n");
        for (int g = 0; g < volumes.size(); g++) {
            String region = regionOf(g);
            String standby = REGIONS.get((g + 1) % REGIONS.size());
            plan.append(String.format(
                    Locale.ROOT,
                    "  - id: %s%n    strategy: warm-standby%n    objectives: { rto: 15m, rpo: 1m }%n    regions:%n"
                            + "      - name: %s%n        role: primary%n"
                            + "        targets: [ { name: web, kind: https, url: \"https://%s.example.com/health\" } ]%n"
                            + "      - name: %s%n        role: standby%n    backup:%n      region: %s%n      vault: bench%n"
                            + "      resources: [ \"arn:aws:ec2:%s:123456789012:volume/%s\" ]%n      rules:%n",
                    id(g),
                    region,
                    id(g),
                    standby,
                    region,
                    region,
                    volumes.get(g)));
            for (int r = 0; r < rulesPerGroup; r++) {
                plan.append(String.format(
                        Locale.ROOT,
                        "        - name: r%d%n          schedule: cron(%d * * * ? *)%n          startWindow: 60m%n"
                                + "          completionWindow: 120m%n          rpo: 3h%n"
                                + "          lifecycle: { deleteAfterDays: 1 }%n",
                        r,
                        (g + 6 * r) % 60));
            }
        }
        return plan.toString();
    }

    private static String regionOf(int group) {
        return REGIONS.get(group % REGIONS.size());
    }

    private static String id(int group) {
        return String.format(Locale.ROOT, "g%04d", group);
    }

    private static List<String> volumeNames(int groups) {
        List<String> volumes = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            volumes.add(String.format(Locale.ROOT, "vol-%017d", g));
        }
        return volumes;
    }

    private static List<String> createVolumes(Map<String, RegionClients> aws, int groups) {
        List<String> volumes = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            String region = regionOf(g);
            volumes.add(aws.get(region)
                    .ec2()
                    .createVolume(r -> r.availabilityZone(region + "a").size(8))
                    .volumeId());
        }
        return volumes;
    }

    private static long snapshotsIn(Map<String, RegionClients> aws) {
        long count = 0;
        for (RegionClients region : aws.values()) {
            count += region.ec2().describeSnapshotsPaginator(r -> r.ownerIds("self")).snapshots().stream()
                    .filter(s -> s.tags().stream().anyMatch(t -> t.key().equals(NativeEngine.TAG_GROUP)))
                    .count();
        }
        return count;
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
