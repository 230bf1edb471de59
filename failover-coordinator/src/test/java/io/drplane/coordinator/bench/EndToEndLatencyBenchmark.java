package io.drplane.coordinator.bench;

import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.kafka.CoordinatorLoop;
import io.drplane.coordinator.state.GroupState;
import io.drplane.events.Command;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.HealthObserved;
import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.drplane.testsupport.TestKeys;
import jakarta.annotation.Nullable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The coordinator end to end on a real (in-process) broker: {@code GROUPS} groups, a background load of health
 * observations at {@code RATE} events/s, and five groups a second losing their primary. For each failover the
 * latency is measured from sending the observation that tipped the quorum to reading the promote command on the
 * standby's command topic. Near the end, 200 more groups lose their primary in the same second (a region outage),
 * measured the same way. Also prints the heap the decider's state takes for all the groups. With
 * {@code COORDINATOR_JAVA_OPTS} set (the benchmark's script sets the deployed options by default), the coordinator runs
 * in a JVM of its own started with those options ({@link CoordinatorProcess}); unset or {@code in-process}, in this one,
 * next to the broker and the load generator.
 *
 * <pre>bench/coordinator-e2e [GROUPS=10000] [RATE=10000] [SECONDS=120] [WARMUP=60]</pre>
 */
public final class EndToEndLatencyBenchmark {

    /** Groups that lose their primary together near the end of the run. */
    private static final int MASS = 200;
    /** Single failovers per second after the warm-up, spread over the second. */
    private static final int FAILOVERS_PER_SECOND = 5;

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 120;
        // Failovers start after the warm-up: on two cores the JIT compiles the broker's, the clients' and the
        // coordinator's hot paths for more than a minute (compilations fell off after about 80 s with
        // -XX:+PrintCompilation), and a latency measured then is the compiler's, not the coordinator's.
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        String planYaml = plan(groups, FAILOVERS_PER_SECOND * (seconds + 1), FAILOVERS_PER_SECOND * warmup);
        Plan plan = PlanLoader.parse(planYaml, "e2e.yml");
        System.out.printf("state heap for %d groups: %d MB%n", groups, stateHeapMb(plan, groups));

        KafkaClientConfig kafka = KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection());
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        String childOptions = System.getenv("COORDINATOR_JAVA_OPTS");
        Coordinator coordinator = childOptions == null || childOptions.isBlank() || childOptions.equals("in-process")
                ? new InProcessCoordinator(plan, kafka)
                : new ChildCoordinator(planYaml, kafka, childOptions);
        CountDownLatch wait = new CountDownLatch(1);

        Map<String, Object> config = new HashMap<>(kafka.eventProducer("e2e-load"));
        config.put(
                ProducerConfig.LINGER_MS_CONFIG,
                KafkaClientConfig.OBSERVATION_LINGER_MS); // as the health monitor sends
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> sentAtWall = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        // The region outage near the end: MASS groups ("m0".."m199") lose their primary in the same second.
        List<Long> massLatencies = Collections.synchronizedList(new ArrayList<>());
        // Each single failover: when it was read (this JVM's uptime, as -Xlog:gc prints it, and the wall clock, for a
        // coordinator in a JVM of its own: -Xlog:gc:file=F:time), its latency in nanoseconds, and its two legs in wall
        // milliseconds: sent to the coordinator's send of the command (its record's create time), and from there to the
        // command being readable (commit, markers, read_committed).
        List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader2 = new Thread(
                () -> {
                    try (KafkaConsumer<String, byte[]> commands = TestConsumers.fromBeginning(
                            kafka.bootstrapServers(), kafka.connection(), TopicFamily.COMMANDS.topic("us-west-2"))) {
                        while (reading.get()) {
                            for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(50))) {
                                Event<?> e = EventCodec.instance().decode(r.value());
                                if (e.data() instanceof Command) {
                                    String input = e.id().substring(0, e.id().indexOf('/'));
                                    Long sent = sentAt.remove(input);
                                    Long sentWall = sentAtWall.remove(input);
                                    if (sent != null) {
                                        long latency = System.nanoTime() - sent;
                                        (e.subject().startsWith("m") ? massLatencies : latencies).add(latency);
                                        if (!e.subject().startsWith("m")) {
                                            long read = System.currentTimeMillis();
                                            samples.add(new long[] {
                                                ManagementFactory.getRuntimeMXBean()
                                                        .getUptime(),
                                                latency,
                                                r.timestamp() - sentWall,
                                                read - r.timestamp(),
                                                read
                                            });
                                        }
                                    }
                                }
                            }
                        }
                    } catch (EventDecodingException e) {
                        throw new IllegalStateException("the coordinator wrote a command this build cannot read", e);
                    }
                },
                "command-reader");
        reader2.setDaemon(true);
        reader2.start();

        long sentTotal = 0;
        int failovers = 0;
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(config)) {
            URI source = URI.create("/drplane/health-monitor/e2e");
            long start = System.nanoTime();
            int slotSpacing = rate / FAILOVERS_PER_SECOND;
            for (int second = 0; second < seconds; second++) {
                long secondStart = start + second * 1_000_000_000L;
                // Single failovers from the warm-up on, and not in the outage's seconds: FAILOVERS_PER_SECOND groups a
                // second, spread over it. A group's lag is fresh and small and its standby seen up a second before its
                // primary fails, in the same slot of the previous second. (Sent with the failures, the lag could be
                // decided
                // after them: a poll orders partitions, not time, and the lag would then be what tips the failover.)
                boolean prepare = second >= warmup - 1 && second < seconds - 5;
                boolean fail = second >= warmup && second < seconds - 4;
                // The warm-up fails over "w" groups the same way, unmeasured: the failover path (safety rules, runbook,
                // commands, their encoding) is compiled before the first measured failover, not during the first
                // seconds
                // of them, where the slowest samples of a run were.
                boolean warmPrepare = second < warmup - 2;
                boolean warmFail = second >= 1 && second < warmup - 1;
                for (int i = 0; i < rate; i++) {
                    int n = second * rate + i;
                    String group = "g" + (n % groups);
                    String vantage = "v" + (1 + (n / groups) % 3);
                    String region = (n / (groups * 3)) % 2 == 0 ? "us-east-1" : "us-west-2";
                    send(producer, source, observed(group, region, vantage, true), null, null);
                    sentTotal++;
                    if (i % slotSpacing == slotSpacing / 2 && i / slotSpacing < FAILOVERS_PER_SECOND) {
                        int slot = i / slotSpacing;
                        if (prepare) {
                            prepareFailover(producer, source, "f" + ((second + 1) * FAILOVERS_PER_SECOND + slot));
                        }
                        if (warmPrepare) {
                            prepareFailover(producer, source, "w" + ((second + 1) * FAILOVERS_PER_SECOND + slot));
                        }
                        if (warmFail) {
                            failPrimary(producer, source, "w" + (second * FAILOVERS_PER_SECOND + slot), null, null);
                        }
                        if (fail) {
                            // The group loses its primary: every vantage point sees three failures.
                            failPrimary(
                                    producer, source, "f" + (second * FAILOVERS_PER_SECOND + slot), sentAt, sentAtWall);
                            failovers++;
                        }
                    }
                    long due = secondStart + (long) i * 1_000_000_000L / rate;
                    long ahead = due - System.nanoTime();
                    if (ahead > 1_000_000) {
                        wait.await(ahead, TimeUnit.NANOSECONDS);
                    }
                }
                if (second == seconds - 3) {
                    // A region outage: every "m" group sees its lag and standby a second before, then all lose their
                    // primary in the same second, while the load goes on.
                    for (int m = 0; m < MASS; m++) {
                        prepareFailover(producer, source, "m" + m);
                    }
                } else if (second == seconds - 2) {
                    for (int m = 0; m < MASS; m++) {
                        failPrimary(producer, source, "m" + m, sentAt, sentAtWall);
                    }
                }
            }
            producer.flush();
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "load: %d observations in %.1f s = %.0f events/s%n", sentTotal, elapsed, sentTotal / elapsed);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((latencies.size() < failovers || massLatencies.size() < MASS) && System.nanoTime() < deadline) {
            wait.await(100, TimeUnit.MILLISECONDS);
        }
        long coordinatorHeap = coordinator.liveHeapBytes();
        System.out.printf(
                "coordinator live heap after the run, %d groups in state (%s): %d MB (goal: under 512 MB)%n",
                groups + failovers + MASS + FAILOVERS_PER_SECOND * Math.max(0, warmup - 2),
                coordinator.where(),
                coordinatorHeap / (1024 * 1024));
        reading.set(false);
        reader2.join(5_000);
        coordinator.close();
        String takeover = takeover(plan, kafka);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(
                "observation-to-command latency over %d failovers: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
                        + " (goal: p99 under 50 ms)%n",
                sorted.size(),
                percentile(sorted, 0.50),
                percentile(sorted, 0.90),
                percentile(sorted, 0.99),
                sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6);
        List<Long> mass = new ArrayList<>(massLatencies);
        Collections.sort(mass);
        System.out.printf(
                "region outage, %d groups losing their primary in the same second: %d commanded, p50 %.1f ms, p99 %.1f ms,"
                        + " last %.1f ms%n",
                MASS,
                mass.size(),
                percentile(mass, 0.50),
                percentile(mass, 0.99),
                mass.isEmpty() ? 0 : mass.get(mass.size() - 1) / 1e6);
        List<long[]> legs = new ArrayList<>(samples);
        System.out.printf(
                "  sent to the coordinator's send of the command: p50 %d ms, p99 %d ms%n",
                percentileMillis(legs, 2, 0.50), percentileMillis(legs, 2, 0.99));
        System.out.printf(
                "  the coordinator's send to the command readable (commit, read_committed): p50 %d ms, p99 %d ms%n",
                percentileMillis(legs, 3, 0.50), percentileMillis(legs, 3, 0.99));
        legs.sort((a, b) -> Long.compare(b[1], a[1]));
        StringBuilder top = new StringBuilder();
        for (long[] sample : legs.subList(0, Math.min(5, legs.size()))) {
            top.append(String.format(
                    " %.1f ms at %.3f s, %s (%d + %d);",
                    sample[1] / 1e6,
                    sample[0] / 1e3,
                    LocalTime.ofInstant(Instant.ofEpochMilli(sample[4]), ZoneId.systemDefault()),
                    sample[2],
                    sample[3]));
        }
        System.out.printf("  slowest, read at this JVM's uptime and the wall clock (decision + visible ms):%s%n", top);
        System.out.println(takeover);
        System.exit(0);
    }

    /**
     * Another instance takes every partition over from the one just stopped: it restores each group from its snapshot
     * and decides again the journaled inputs since it. Measured in this JVM, with the load stopped.
     */
    private static String takeover(Plan plan, KafkaClientConfig kafka) throws InterruptedException {
        DeadLetteringReader reader = new DeadLetteringReader(
                new KafkaProducer<>(kafka.deadLetterProducer("e2e-takeover")),
                "drplane-failover-coordinator",
                EventCodec.instance(),
                Clock.systemUTC());
        CoordinatorLoop successor = new CoordinatorLoop(
                plan,
                kafka,
                "e2e-takeover",
                reader,
                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test"));
        long start = System.nanoTime();
        Thread thread = new Thread(successor, "takeover");
        thread.start();
        CountDownLatch wait = new CountDownLatch(1);
        while (successor.owned().size() < TopicFamily.GROUP_PARTITIONS
                && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(5)) {
            wait.await(10, TimeUnit.MILLISECONDS);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        successor.close();
        thread.join(10_000);
        return String.format(
                "takeover: another instance restored %d groups (their snapshots, then %d journaled inputs decided again)"
                        + " and owned every partition %d ms after it started",
                successor.restoredGroups(), successor.replayedInputs(), millis);
    }

    /** A group's replication lag is fresh and small, and its standby is seen up from every vantage point. */
    private static void prepareFailover(KafkaProducer<String, Event<?>> producer, URI source, String group) {
        send(
                producer,
                source,
                new ReplicationLagObserved(
                        group,
                        "db",
                        "us-east-1",
                        "us-west-2",
                        LagStatus.MEASURED,
                        100L,
                        null,
                        LagMethod.HEARTBEAT,
                        Instant.now(),
                        null),
                null,
                null);
        for (String v : List.of("v1", "v2", "v3")) {
            send(producer, source, observed(group, "us-west-2", v, true), null, null);
        }
    }

    /** Every vantage point sees the group's primary fail three times; the observation that tips the quorum is measured. */
    private static void failPrimary(
            KafkaProducer<String, Event<?>> producer,
            URI source,
            String group,
            @Nullable Map<String, Long> sentAt,
            @Nullable Map<String, Long> sentAtWall) {
        for (int k = 0; k < 3; k++) {
            for (String v : List.of("v1", "v2", "v3")) {
                send(producer, source, observed(group, "us-east-1", v, false), sentAt, sentAtWall);
            }
        }
    }

    /** Observations sent with {@code sentAt} are the candidates for tipping the quorum: the earliest unmatched one counts. */
    private static void send(
            KafkaProducer<String, Event<?>> producer,
            URI source,
            EventData data,
            Map<String, Long> sentAt,
            Map<String, Long> sentAtWall) {
        Event<?> event = Event.of(source, Instant.now(), data);
        if (sentAt != null) {
            sentAtWall.put(event.id(), System.currentTimeMillis());
            sentAt.put(event.id(), System.nanoTime());
        }
        producer.send(new ProducerRecord<>(TopicFamily.topicFor(data), event.subject(), event));
    }

    private static HealthObserved observed(String group, String region, String vantage, boolean ok) {
        return new HealthObserved(
                group,
                region,
                "web",
                vantage,
                ProbeSource.HTTPS,
                ok ? ProbeOutcome.OK : ProbeOutcome.TIMEOUT,
                ok ? 200 : null,
                10,
                Instant.now(),
                null);
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    /** The percentile of one column of the samples. */
    private static long percentileMillis(List<long[]> samples, int column, double p) {
        long[] sorted =
                samples.stream().mapToLong(sample -> sample[column]).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The heap the decider's state takes for every group once each has seen a round of observations. */
    private static long stateHeapMb(Plan plan, int groups) {
        Decider decider = new Decider(plan);
        Map<String, GroupState> states = new HashMap<>();
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        URI source = URI.create("/bench");
        for (int g = 0; g < groups; g++) {
            String group = "g" + g;
            GroupState state = decider.initial(group, t);
            for (String region : List.of("us-east-1", "us-west-2")) {
                for (String v : List.of("v1", "v2", "v3")) {
                    state = decider.decide(state, Event.of(source, t, observed(group, region, v, true)))
                            .state();
                }
            }
            states.put(group, state);
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long with = used();
        if (states.size() != groups) {
            throw new IllegalStateException("lost a state");
        }
        states.clear(); // what the states retain is the difference the GC sees when they go
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long without = used();
        return (with - without) >> 20;
    }

    /** The heap still in use after full collections. */
    private static long liveHeap() {
        return CoordinatorProcess.liveHeap();
    }

    private static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The coordinator being measured: its loop and its tick writer, as the service runs them. */
    private interface Coordinator extends AutoCloseable {
        /** Its live heap after full collections. */
        long liveHeapBytes() throws Exception;

        String where();

        @Override
        void close() throws Exception;
    }

    /** In this JVM, next to the broker and the load generator: one collector pauses all three. */
    private static final class InProcessCoordinator implements Coordinator {
        private final long heapBefore = liveHeap(); // the broker and the test's clients, without the coordinator
        private final CoordinatorProcess.Running running;

        InProcessCoordinator(Plan plan, KafkaClientConfig kafka) throws InterruptedException {
            running = new CoordinatorProcess.Running(plan, kafka);
        }

        @Override
        public long liveHeapBytes() {
            return liveHeap() - heapBefore;
        }

        @Override
        public String where() {
            return "broker and load generator excluded";
        }

        @Override
        public void close() throws InterruptedException {
            running.close();
        }
    }

    /** In a JVM of its own ({@link CoordinatorProcess}), as deployed: its collector pauses only the coordinator. */
    private static final class ChildCoordinator implements Coordinator {
        private final Process process;
        private final Writer in;
        private final Path log;
        /** The child's answers; a thread reads its output all along, so that its log never fills the pipe and stops it. */
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        ChildCoordinator(String planYaml, KafkaClientConfig kafka, String javaOptions)
                throws IOException, InterruptedException {
            Path dir = Files.createTempDirectory("drplane-e2e");
            Path planFile = Files.writeString(dir.resolve("e2e.yml"), planYaml);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of(javaOptions.trim().split("\\s+")));
            command.addAll(List.of(
                    "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CoordinatorProcess.class.getName(),
                    kafka.bootstrapServers(),
                    planFile.toString(),
                    SharedKafka.propertiesFile(kafka.connection()).toString()));
            log = dir.resolve("coordinator.log");
            process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread output = new Thread(
                    () -> {
                        try (BufferedReader out = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line = out.readLine(); line != null; line = out.readLine()) {
                                if (line.equals(CoordinatorProcess.READY)
                                        || line.startsWith(CoordinatorProcess.HEAP + " ")) {
                                    answers.add(line);
                                } else {
                                    System.out.println("coordinator: " + line);
                                }
                            }
                        } catch (IOException e) {
                            System.out.println("coordinator: its output ended: " + e.getMessage());
                        }
                    },
                    "coordinator-output");
            output.setDaemon(true);
            output.start();
            System.out.printf("coordinator in its own JVM (%s), its errors: %s%n", javaOptions.trim(), log);
            answer(Duration.ofMinutes(3));
        }

        private String answer(Duration timeout) throws InterruptedException {
            String answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) {
                throw new IllegalStateException(
                        "the coordinator's JVM did not answer within " + timeout + "; see " + log);
            }
            return answer;
        }

        @Override
        public long liveHeapBytes() throws IOException, InterruptedException {
            in.write(CoordinatorProcess.HEAP + "\n");
            in.flush();
            return Long.parseLong(answer(Duration.ofMinutes(1)).substring(CoordinatorProcess.HEAP.length() + 1));
        }

        @Override
        public String where() {
            return "its own JVM";
        }

        @Override
        public void close() throws IOException, InterruptedException {
            in.close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static String plan(int groups, int failing, int warming) {
        StringBuilder yaml = new StringBuilder("version: 1\nvantagePoints: [v1, v2, v3]\ngroups:\n");
        for (String prefix : List.of("g", "f", "m", "w")) {
            int count =
                    switch (prefix) {
                        case "g" -> groups;
                        case "f" -> failing;
                        case "m" -> MASS;
                        default -> warming;
                    };
            for (int g = 0; g < count; g++) {
                yaml.append(
                        """
                          - id: %1$s%2$d
                            strategy: warm-standby
                            mode: automatic
                            objectives: { rto: 15m, rpo: 1m }
                            regions:
                              - name: us-east-1
                                role: primary
                                targets: [ { name: web, kind: https, url: "https://a.%1$s%2$d.example.com/" } ]
                                database: { kind: rds-instance, identifier: db-%1$s%2$d }
                              - name: us-west-2
                                role: standby
                                targets: [ { name: web, kind: https, url: "https://b.%1$s%2$d.example.com/" } ]
                                database: { kind: rds-instance, identifier: db-%1$s%2$d-replica }
                            replication:
                              - { name: db, from: us-east-1, to: us-west-2, method: cloudwatch-rds-replica-lag, targetResource: db-%1$s%2$d-replica }
                        """
                                .formatted(prefix, g));
            }
        }
        return yaml.toString();
    }
}
