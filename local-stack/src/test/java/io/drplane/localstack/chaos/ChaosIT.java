package io.drplane.localstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.coordinator.view.ApiJson;
import io.drplane.coordinator.view.GroupView;
import io.drplane.events.BreakerState;
import io.drplane.events.BreakerTransitioned;
import io.drplane.events.CommandRejected;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.EventType;
import io.drplane.events.FailoverCompleted;
import io.drplane.events.FailoverStarted;
import io.drplane.events.HealthObserved;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.ReasonCode;
import io.drplane.events.SwitchDns;
import io.drplane.events.SwitchoverRequested;
import io.drplane.events.TopicFamily;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.codec.EventDecodingException;
import io.drplane.kafka.DeadLetterHeaders;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ReadToEnd;
import io.drplane.kafka.RecordSignatures;
import io.drplane.kafka.journal.JournalBatch;
import io.drplane.localstack.LocalStack;
import io.drplane.localstack.LocalStackConfig;
import io.drplane.localstack.Ports;
import io.drplane.localstack.gameday.FaultInjector;
import io.drplane.localstack.gameday.SimControl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite: the whole local stack (real broker, moto, every service as its own JVM) made to fail in the ways a
 * control plane meets in production, in an order where each starts from what the one before left. What each finds is
 * printed as a figure ("chaos: ...") and recorded in docs/reliability.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final String GROUP = "shop";
    private static final String PRIMARY = "us-east-1";
    private static final String STANDBY = "us-west-2";
    private static final String COORDINATOR = "failover-coordinator";

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static LocalStackConfig config;
    private static String coordinatorUrl;
    private static FaultInjector faults;
    private static KafkaClientConfig kafka;

    @BeforeAll
    static void start() {
        config = new LocalStackConfig(
                HOME,
                dataDir,
                HOME.resolve("examples/two-region-shop.yml"),
                Ports.free(2),
                Ports.free(1),
                Ports.free(9),
                true,
                Ports.free(1));
        stack = new LocalStack(config, new PrintWriter(new StringWriter(), true));
        coordinatorUrl = stack.start().stream()
                .filter(r -> r.name().equals(COORDINATOR))
                .findFirst()
                .orElseThrow()
                .url();
        faults = new SimControl(stack.simulation().controlUrl());
        kafka = stack.kafka(); // the broker's admin: the broker takes SASL only, and grants by ACL
        awaitAllHealthy();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void garbageOfEveryKindOnEveryInputTopicIsDeadLetteredAndNothingMoves() throws Exception {
        Decisions decisions = new Decisions();
        List<String> coordinatorInputs = List.of(
                TopicFamily.HEALTH.topic(),
                TopicFamily.REPLICATION.topic(),
                TopicFamily.BACKUP.topic(),
                TopicFamily.OPERATOR.topic(),
                TopicFamily.COMMAND_RESULTS.topic(),
                TopicFamily.TICKS.topic());
        List<String> executorInputs = List.of(TopicFamily.COMMANDS.topic(PRIMARY), TopicFamily.COMMANDS.topic(STANDBY));
        Map<String, Integer> written = new LinkedHashMap<>();
        Set<String> expected = new HashSet<>();
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(kafka.bytesProducer("chaos-garbage"))) {
            for (String topic : concat(coordinatorInputs, executorInputs)) {
                for (Garbage garbage : garbageFor(topic, coordinatorInputs.contains(topic))) {
                    RecordMetadata sent = raw.send(new ProducerRecord<>(topic, garbage.key(), garbage.value()))
                            .get(30, TimeUnit.SECONDS);
                    expected.add(sent.topic() + "/" + sent.partition() + "@" + sent.offset());
                    written.merge(garbage.kind(), 1, Integer::sum);
                }
            }
        }

        Set<String> deadLettered = new HashSet<>();
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(kafka.consumer(null, "chaos-dlq"))) {
            dlq.assign(partitionsOf(dlq, TopicFamily.DEADLETTER.topic()));
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    deadLettered.add(header(r, DeadLetterHeaders.ORIGINAL_TOPIC) + "/"
                            + header(r, DeadLetterHeaders.ORIGINAL_PARTITION) + "@"
                            + header(r, DeadLetterHeaders.ORIGINAL_OFFSET));
                }
                return deadLettered.containsAll(expected);
            });
        }
        System.out.printf(
                "chaos: garbage: %d records of %d kinds on %d input topics, %d dead-lettered (%s)%n",
                expected.size(),
                written.size(),
                coordinatorInputs.size() + executorInputs.size(),
                expected.stream().filter(deadLettered::contains).count(),
                written);

        assertThat(deadLettered).as("every record of garbage dead-lettered").containsAll(expected);
        awaitAllHealthy(); // no consumer crashed
        // An executor that starts rebuilds its ledger from the results topic, garbage and all: it counts what it cannot
        // read (the topic is not its to dead-letter) and starts.
        String executor = "region-executor/" + STANDBY;
        stack.kill(executor);
        stack.restart(executor);
        double unreadable = metric(executor, "drplane_executor_results_unreadable_total");
        System.out.printf(
                "chaos: garbage: an executor restarted over it counted %.0f unreadable results%n", unreadable);
        assertThat(unreadable).as("the results that do not decode, counted").isGreaterThanOrEqualTo(8);
        awaitAllHealthy();
        decisions.readFor(Duration.ofSeconds(3));
        assertThat(decisions.all(FailoverStarted.class))
                .as("the forged switchover on the wrong topics moved nothing")
                .isEmpty();
        GroupView view = group();
        assertThat(view.primary()).isEqualTo(PRIMARY);
        assertThat(view.analysis()).isEqualTo("ALL_HEALTHY");
        // Decisions go on: the next tests fail over through this same coordinator.
    }

    @Test
    @Order(2)
    void oneVantagePointCutOffFromEveryRegionFailsNothingOver() {
        Decisions decisions = new Decisions();
        String vantage = "us-east-2a";
        faults.cutOff(PRIMARY, vantage, true);
        faults.cutOff(STANDBY, vantage, true);
        try {
            // Long enough for its breakers to open (3 failures) and for its view to count in every quorum.
            decisions.readFor(Duration.ofSeconds(25));
        } finally {
            faults.cutOff(PRIMARY, vantage, false);
            faults.cutOff(STANDBY, vantage, false);
        }
        long opened = decisions.all(BreakerTransitioned.class).stream()
                .filter(b -> b.vantage().equals(vantage) && b.to() == BreakerState.OPEN)
                .count();
        System.out.printf(
                "chaos: one vantage point cut off from both regions for 25 s: %d of its breakers opened, %d failovers%n",
                opened, decisions.all(FailoverStarted.class).size());

        assertThat(opened).as("the partition was seen by its breakers").isGreaterThanOrEqualTo(2);
        assertThat(decisions.all(FailoverStarted.class)).isEmpty();
        assertThat(group().primary()).isEqualTo(PRIMARY);
        awaitAllHealthy();
    }

    @Test
    @Order(3)
    void theBrokerRestartedUnderLoadLosesNoEvent() throws Exception {
        Decisions decisions = new Decisions();
        Map<TopicPartition, Long> journalFrom = endOffsets(TopicFamily.COORDINATOR_JOURNAL.topic());
        Map<TopicPartition, Long> deadLettersFrom = endOffsets(TopicFamily.DEADLETTER.topic());
        int events = 3000;
        AtomicInteger failedSends = new AtomicInteger();
        List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(kafka.eventProducer("chaos-load"))) {
            // 100 observations a second for 30 s, whatever the broker does meanwhile.
            for (int n = 0; n < events; n++) {
                if (n == 500) {
                    stack.kill("kafka");
                    stack.restart("kafka");
                }
                Instant now = Instant.now();
                HealthObserved ok = new HealthObserved(
                        GROUP, STANDBY, "web", "office-fra", ProbeSource.HTTPS, ProbeOutcome.OK, 200, 5, now, null);
                CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
                producer.send(
                        new ProducerRecord<>(
                                TopicFamily.HEALTH.topic(),
                                GROUP,
                                new Event<>("chaos-load-" + n, URI.create("/chaos/load"), now, ok)),
                        (metadata, error) -> {
                            if (error != null) {
                                failedSends.incrementAndGet();
                                sent.completeExceptionally(error);
                            } else {
                                sent.complete(metadata);
                            }
                        });
                sends.add(sent);
                long due = started + (n + 1) * 10_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // paces the load; nothing waits on it to pass time
                }
            }
            producer.flush();
        }
        CompletableFuture.allOf(
                        sends.stream().map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                .get(3, TimeUnit.MINUTES);

        // End to end: every event the producer was told was written is either decided (in the coordinator's journal)
        // or refused with a reason (on the dead-letter topic), once.
        Map<String, Integer> journaled = new HashMap<>();
        Map<String, Integer> refused = new HashMap<>();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            readJournal(journalFrom, id -> journaled.merge(id, 1, Integer::sum));
            readDeadLetters(deadLettersFrom, id -> refused.merge(id, 1, Integer::sum));
            return journaled.size() + refused.size() >= events - failedSends.get();
        });
        awaitAllHealthy();
        decisions.readFor(Duration.ofSeconds(1));
        Set<String> lost = new HashSet<>();
        for (int n = 0; n < events; n++) {
            String id = "chaos-load-" + n;
            if (!journaled.containsKey(id) && !refused.containsKey(id)) {
                lost.add(id);
            }
        }
        long twice = journaled.values().stream().filter(c -> c > 1).count();
        System.out.printf(
                "chaos: broker killed and restarted under 100 events/s: %d sent, %d send failures, %d decided, %d refused"
                        + " (too old after the outage), %d lost, %d decided twice, %d failovers%n",
                events,
                failedSends.get(),
                journaled.size(),
                refused.size(),
                lost.size(),
                twice,
                decisions.all(FailoverStarted.class).size());

        assertThat(failedSends.get()).as("the producer rode out the restart").isZero();
        assertThat(lost).as("no event lost").isEmpty();
        assertThat(twice).as("none decided twice").isZero();
        assertThat(decisions.all(FailoverStarted.class)).as("no false failover").isEmpty();
        assertThat(group().primary()).isEqualTo(PRIMARY);
    }

    @Test
    @Order(4)
    void theCoordinatorKilledMidFailoverFinishesItIssuingNoAwsChangeTwice() {
        awaitHealthyGroup();
        MotoRecording aws = new MotoRecording(URI.create("http://127.0.0.1:" + config.motoPort()));
        aws.start();
        Decisions decisions = new Decisions();
        faults.dark(PRIMARY, true);
        FailoverStarted started;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !decisions.read().all(FailoverStarted.class).isEmpty());
            started = decisions.all(FailoverStarted.class).get(0);
            // Its commands are out, in the transaction that started it: the executors are at work as it dies.
            stack.kill(COORDINATOR);
            assertThat(decisions.read().all(FailoverCompleted.class))
                    .as("killed mid-failover, not after it")
                    .isEmpty();
            stack.restart(COORDINATOR);
            await().atMost(Duration.ofSeconds(120)).until(() -> decisions.read().all(FailoverCompleted.class).stream()
                    .anyMatch(c -> c.failoverId().equals(started.failoverId())));
        } finally {
            faults.dark(PRIMARY, false);
        }
        List<MotoRecording.Mutation> mutations = aws.mutations();
        Map<MotoRecording.Mutation, Long> counted =
                mutations.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        long twice = counted.values().stream().filter(c -> c > 1).count();
        System.out.printf(
                "chaos: coordinator killed mid-failover: completed after a restart, %d AWS changes (%s), %d issued twice%n",
                mutations.size(),
                mutations.stream().map(MotoRecording.Mutation::operation).toList(),
                twice);

        assertThat(twice).as("no AWS change issued twice: " + mutations).isZero();
        assertThat(mutations)
                .extracting(MotoRecording.Mutation::operation)
                .as("the failover's changes, each once")
                .contains("PromoteReadReplica", "ChangeResourceRecordSets");
        assertThat(decisions.all(FailoverStarted.class)).as("started once").hasSize(1);
        assertThat(group().primary()).isEqualTo(STANDBY);
    }

    @Test
    @Order(5)
    void aZombieCoordinatorsCommandChangesNothing() throws Exception {
        // A coordinator paused before the failover (a long GC, a frozen VM) wakes and sends what it meant to: a DNS
        // switch
        // of the epoch it knew. The executors have since run epoch 1.
        SwitchDns current;
        try (KafkaConsumer<String, byte[]> commands = new KafkaConsumer<>(kafka.consumer(null, "chaos-commands"))) {
            commands.assign(partitionsOf(commands, TopicFamily.COMMANDS.topic(STANDBY)));
            List<SwitchDns> switches = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(200))) {
                    // The garbage of the first test is on this topic too.
                    if (dataOrNull(r.value()) instanceof SwitchDns s
                            && s.group().equals(GROUP)) {
                        switches.add(s);
                    }
                }
                return !switches.isEmpty();
            });
            current = switches.get(switches.size() - 1);
        }
        SwitchDns zombie = new SwitchDns(
                GROUP,
                "zombie:switch-dns:0",
                "zombie",
                current.region(),
                current.epoch() - 1,
                Instant.now(),
                current.timeoutMillis(),
                false,
                current.hostedZoneId(),
                current.records(),
                current.reason(),
                current.evidence());
        MotoRecording aws = new MotoRecording(URI.create("http://127.0.0.1:" + config.motoPort()));
        aws.start();
        Map<TopicPartition, Long> resultsFrom = endOffsets(TopicFamily.COMMAND_RESULTS.topic());
        // It still holds the command key: what stops it is its epoch, not its signature.
        RecordSignatures commandKeys =
                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, stack.commandKeys(), "local stack");
        try (KafkaProducer<String, Event<?>> producer =
                new KafkaProducer<>(kafka.commandSigningEventProducer("chaos-zombie", commandKeys))) {
            producer.send(new ProducerRecord<>(
                            TopicFamily.COMMANDS.topic(current.region()),
                            GROUP,
                            Event.of(URI.create("/chaos/zombie"), Instant.now(), zombie)))
                    .get(30, TimeUnit.SECONDS);
        }
        List<CommandRejected> rejected = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> results = new KafkaConsumer<>(kafka.consumer(null, "chaos-results"))) {
            results.assign(resultsFrom.keySet());
            resultsFrom.forEach(results::seek);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(200))) {
                    if (dataOrNull(r.value()) instanceof CommandRejected c
                            && c.commandId().equals(zombie.commandId())) {
                        rejected.add(c);
                    }
                }
                return !rejected.isEmpty();
            });
        }
        // Re-protect of the old primary's region may run meanwhile (its own commands, of the current epoch): only a DNS
        // change can be the zombie's.
        List<MotoRecording.Mutation> mutations = aws.mutations().stream()
                .filter(m -> m.operation().equals("ChangeResourceRecordSets"))
                .toList();
        System.out.printf(
                "chaos: a zombie's command of epoch %d after epoch %d: %s, %d DNS changes%n",
                zombie.epoch(), current.epoch(), rejected.get(0).reason().code(), mutations.size());

        assertThat(rejected.get(0).reason().code()).isEqualTo(ReasonCode.EPOCH_STALE);
        assertThat(rejected.get(0).highestEpochSeen()).isGreaterThanOrEqualTo(current.epoch());
        assertThat(mutations).as("0 of the zombie's commands executed").isEmpty();
    }

    @Test
    @Order(6)
    void noSecretIsInAnyLogOrEventAfterAllOfIt() throws Exception {
        // What the stack was given to keep secret: the API token, and the operator and command keys' secrets.
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("API token", stack.apiToken());
        secrets.put(
                "operator key",
                stack.operatorKeys().substring(stack.operatorKeys().indexOf(':') + 1));
        secrets.put(
                "command key", stack.commandKeys().substring(stack.commandKeys().indexOf(':') + 1));
        stack.kafkaPasswords().forEach((user, password) -> secrets.put("Kafka password of " + user, password));
        secrets.putAll(stack.notifierSecrets());
        List<String> found = new ArrayList<>();
        long logLines = 0;
        try (var logs = Files.list(config.logDir())) {
            for (Path log : logs.toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                logLines += lines.size();
                for (String line : lines) {
                    secrets.forEach((what, secret) -> {
                        if (line.contains(secret)) {
                            found.add(what + " in " + log.getFileName());
                        }
                    });
                }
            }
        }
        long records = 0;
        try (Admin admin = Admin.create(kafka.admin(30_000));
                KafkaConsumer<String, byte[]> all = new KafkaConsumer<>(kafka.consumer(null, "chaos-secrets"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                partitions.addAll(partitionsOf(all, topic));
            }
            all.assign(partitions);
            all.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = all.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> all.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> r : all.poll(Duration.ofMillis(500))) {
                    records++;
                    StringBuilder text = new StringBuilder(String.valueOf(r.key()));
                    if (r.value() != null) {
                        text.append(new String(r.value(), StandardCharsets.UTF_8));
                    }
                    for (Header header : r.headers()) {
                        text.append(new String(
                                header.value() == null ? new byte[0] : header.value(), StandardCharsets.UTF_8));
                    }
                    secrets.forEach((what, secret) -> {
                        if (text.indexOf(secret) >= 0) {
                            found.add(what + " in " + r.topic());
                        }
                    });
                }
            }
        }
        System.out.printf(
                "chaos: secrets: %d looked for in %d log lines and %d records, %d found%n",
                secrets.size(), logLines, records, found.size());

        assertThat(logLines).isPositive();
        assertThat(records).isPositive();
        assertThat(found).as("secrets in logs or events").isEmpty();
    }

    /** One record of garbage: what kind it is, and its key and value as written. */
    private record Garbage(String kind, String key, byte[] value) {}

    /** Every kind of garbage a topic can meet; the coordinator's topics also get inputs only its gate refuses. */
    private static List<Garbage> garbageFor(String topic, boolean coordinatorInput) {
        Instant now = Instant.now();
        HealthObserved observed = new HealthObserved(
                GROUP, PRIMARY, "web", "us-east-2a", ProbeSource.HTTPS, ProbeOutcome.OK, 200, 5, now, null);
        byte[] valid = EventCodec.instance().encode(Event.of(URI.create("/chaos/garbage"), now, observed));
        String validJson = new String(valid, StandardCharsets.UTF_8);
        String unknownType = validJson.replace(EventType.HEALTH_OBSERVED.typeName(), "io.drplane.nonsense.v1");
        if (unknownType.equals(validJson)) {
            throw new IllegalStateException("the event's type is not in its JSON: " + validJson);
        }
        byte[] forgedSwitchover = EventCodec.instance()
                .encode(Event.of(
                        URI.create("/chaos/forged"),
                        now,
                        new SwitchoverRequested(GROUP, STANDBY, "mallory", "forged on the wrong topic", now)));
        List<Garbage> garbage = new ArrayList<>(List.of(
                new Garbage("not-json", GROUP, "garbage, not an event".getBytes(StandardCharsets.UTF_8)),
                new Garbage("empty", GROUP, new byte[0]),
                new Garbage("tombstone", GROUP, null),
                new Garbage("invalid-utf8", GROUP, new byte[] {(byte) 0xC3, 0x28, (byte) 0xA0, (byte) 0xA1}),
                new Garbage("json-not-an-event", GROUP, "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)),
                new Garbage("unknown-type", GROUP, unknownType.getBytes(StandardCharsets.UTF_8)),
                new Garbage("nested-100k-deep", GROUP, "[".repeat(100_000).getBytes(StandardCharsets.UTF_8)),
                new Garbage(
                        "truncated-event",
                        GROUP,
                        validJson.substring(0, validJson.length() / 2).getBytes(StandardCharsets.UTF_8))));
        if (!topic.equals(TopicFamily.OPERATOR.topic())) {
            garbage.add(new Garbage("another-topics-event", GROUP, forgedSwitchover));
        } else {
            garbage.add(new Garbage("another-topics-event", GROUP, valid));
            garbage.add(new Garbage("unsigned-operator-event", GROUP, forgedSwitchover));
        }
        if (coordinatorInput && topic.equals(TopicFamily.HEALTH.topic())) {
            HealthObserved ahead = new HealthObserved(
                    GROUP,
                    PRIMARY,
                    "web",
                    "us-east-2a",
                    ProbeSource.HTTPS,
                    ProbeOutcome.TIMEOUT,
                    null,
                    5,
                    now.plus(365 * 80, ChronoUnit.DAYS),
                    null);
            garbage.add(new Garbage("keyed-by-another-group", "not-" + GROUP, valid));
            garbage.add(new Garbage(
                    "from-80-years-ahead",
                    GROUP,
                    EventCodec.instance()
                            .encode(Event.of(URI.create("/chaos/ahead"), now.plus(365 * 80, ChronoUnit.DAYS), ahead))));
            HealthObserved huge = new HealthObserved(
                    GROUP,
                    PRIMARY,
                    "web",
                    "us-east-2a",
                    ProbeSource.HTTPS,
                    ProbeOutcome.OK,
                    200,
                    5,
                    now,
                    "x".repeat(600_000));
            garbage.add(new Garbage(
                    "oversized", GROUP, EventCodec.instance().encode(Event.of(URI.create("/chaos/huge"), now, huge))));
        }
        return garbage;
    }

    /** Decisions about the group from the moment this is made. */
    private static final class Decisions {
        private final KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(kafka.consumer(null, "chaos-decisions"));
        private final List<EventData> seen = new ArrayList<>();

        Decisions() {
            List<TopicPartition> partitions = partitionsOf(consumer, TopicFamily.DECISIONS.topic());
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        Decisions read() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                Event<?> event = decode(r.value());
                if (event.subject().equals(GROUP)) {
                    seen.add(event.data());
                }
            }
            return this;
        }

        void readFor(Duration duration) {
            long until = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < until) {
                read();
            }
        }

        <T extends EventData> List<T> all(Class<T> type) {
            return seen.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** The load's event ids journaled since {@code from}, which then moves on to where the journal ends. */
    private static void readJournal(Map<TopicPartition, Long> from, Consumer<String> ids) {
        readOn(from, "chaos-journal", r -> {
            for (JournalBatch.Entry entry : JournalBatch.decode(r.value())) {
                if (entry.topic().equals(TopicFamily.HEALTH.topic())) {
                    loadId(entry.value(), ids);
                }
            }
        });
    }

    /** The load's event ids dead-lettered since {@code from}, which then moves on to where the topic ends. */
    private static void readDeadLetters(Map<TopicPartition, Long> from, Consumer<String> ids) {
        readOn(from, "chaos-dlq-load", r -> loadId(r.value(), ids));
    }

    private static void readOn(
            Map<TopicPartition, Long> from, String clientId, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(null, clientId))) {
            ReadToEnd.readFrom(consumer, from, each);
            from.replaceAll((p, offset) -> consumer.position(p));
        }
    }

    private static void loadId(byte[] value, Consumer<String> ids) {
        String id = idOf(value);
        if (id != null && id.startsWith("chaos-load-")) {
            ids.accept(id);
        }
    }

    /** An event drplane wrote: one that does not decode fails the test. */
    private static Event<?> decode(byte[] value) {
        try {
            return EventCodec.instance().decode(value);
        } catch (EventDecodingException e) {
            throw new AssertionError("drplane wrote a record that does not decode: " + e.getMessage(), e);
        }
    }

    private static String idOf(byte[] value) {
        Event<?> event = eventOrNull(value);
        return event == null ? null : event.id();
    }

    private static EventData dataOrNull(byte[] value) {
        Event<?> event = eventOrNull(value);
        return event == null ? null : event.data();
    }

    /** The event in a record that may be this suite's garbage. */
    private static Event<?> eventOrNull(byte[] value) {
        try {
            return EventCodec.instance().decode(value);
        } catch (EventDecodingException e) {
            return null;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(null, "chaos-ends"))) {
            return new HashMap<>(consumer.endOffsets(partitionsOf(consumer, topic)));
        }
    }

    private static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Every service of the stack answers /health UP (the broker and the emulator run). */
    private static void awaitAllHealthy() {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> stack.running().stream()
                        .allMatch(r -> r.health().equals("UP") || r.health().equals("running")));
    }

    /** A counter's value on a service's Prometheus endpoint, summed over its labels. */
    private static double metric(String service, String name) {
        String url = stack.running().stream()
                .filter(r -> r.name().equals(service))
                .findFirst()
                .orElseThrow()
                .url();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "/prometheus"))
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body()
                    .lines()
                    .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitHealthyGroup() {
        await().atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> "ALL_HEALTHY".equals(group().analysis()));
    }

    private static GroupView group() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(coordinatorUrl + "/groups/" + GROUP))
                                    .header("Authorization", "Bearer " + stack.apiToken())
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return ApiJson.group(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
