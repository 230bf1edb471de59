package io.drplane.coordinator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.coordinator.FailoverCoordinator;
import io.drplane.coordinator.FailoverCoordinatorApplication;
import io.drplane.coordinator.analysis.Analysis;
import io.drplane.coordinator.bench.CoordinatorProcess;
import io.drplane.coordinator.decider.Decider;
import io.drplane.coordinator.state.GroupState;
import io.drplane.coordinator.state.StateCodec;
import io.drplane.events.BreakerState;
import io.drplane.events.BreakerTransitioned;
import io.drplane.events.Command;
import io.drplane.events.CommandRejected;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.EventType;
import io.drplane.events.FailoverHeld;
import io.drplane.events.FailoverKind;
import io.drplane.events.FailoverProposed;
import io.drplane.events.FailoverStarted;
import io.drplane.events.HealthObserved;
import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.SwitchoverRequested;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.DeadLetterHeaders;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.EventSerializer;
import io.drplane.kafka.InputRefusedException;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.ReadToEnd;
import io.drplane.kafka.RecordSignatures;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.kafka.journal.JournalBatch;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.drplane.testsupport.TestKeys;
import io.drplane.testsupport.TestPlans;
import io.micronaut.context.ApplicationContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator through the real broker: health events in, commands out on the standby region's topic; garbage
 * on an input goes to the dead-letter topic and the group's decisions go on; a coordinator stopped mid-failover is
 * replaced by another instance that restores the group from its snapshot and finishes without issuing a step twice;
 * the groups of a coordinator whose JVM is killed are decided by another instance about 10 s later, and a command
 * held behind a dead instance's open transaction is readable once the transaction timeout has passed.
 */
class CoordinatorIT {

    @TempDir
    Path dir;

    private final String group = "co-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<EventData> commands = new ArrayList<>();
    private final List<EventData> decisions = new ArrayList<>();

    @Test
    void shouldFailOverThroughTheBrokerAndSurviveAReplacement() throws Exception {
        provisionTopics();
        Path plan = TestPlans.warmStandby(dir, group, "automatic");
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                        SharedKafka.clientSettings(), new StringSerializer(), new ByteArraySerializer());
                KafkaConsumer<String, byte[]> out = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        TopicFamily.COMMANDS.topic("us-west-2"),
                        TopicFamily.DECISIONS.topic())) {

            try (ApplicationContext first = start(plan, "first")) {
                awaitOwnership(first);
                rounds(producer, 3, true);
                raw.send(new ProducerRecord<>(
                                TopicFamily.HEALTH.topic(),
                                group,
                                "garbage, not an event".getBytes(StandardCharsets.UTF_8)))
                        .get(10, TimeUnit.SECONDS);
                producer.send(record(new ReplicationLagObserved(
                                group,
                                "orders-db",
                                "us-east-1",
                                "us-west-2",
                                LagStatus.MEASURED,
                                300L,
                                null,
                                LagMethod.HEARTBEAT,
                                Instant.now(),
                                null)))
                        .get(10, TimeUnit.SECONDS);
                rounds(producer, 3, false);

                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    read(out);
                    // Commands and decisions are on different topics: one poll can return either before the other.
                    return commandsOf(EventType.PROMOTE_REPLICA) == 1
                            && commandsOf(EventType.SET_CAPACITY) == 1
                            && decisions.stream().anyMatch(d -> d instanceof FailoverStarted);
                });
                FailoverStarted started = (FailoverStarted) decisions.stream()
                        .filter(d -> d instanceof FailoverStarted)
                        .findFirst()
                        .orElseThrow();
                assertThat(started.reason().code()).isEqualTo(ReasonCode.FAILOVER_AUTOMATIC);
                assertThat(started.epoch()).isEqualTo(1);
                assertThat(commands)
                        .allSatisfy(c -> assertThat(((Command) c).region()).isEqualTo("us-west-2"));
            }

            // The first instance is gone mid-failover; a second one takes the group over from its snapshot.
            try (ApplicationContext second = start(plan, "second")) {
                awaitOwnership(second);
                for (EventData command : List.copyOf(commands)) {
                    producer.send(record(succeeded((Command) command))).get(10, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    read(out);
                    return commandsOf(EventType.SWITCH_DNS) == 1;
                });
                read(out);
                assertThat(commandsOf(EventType.PROMOTE_REPLICA))
                        .as("no step issued twice across the takeover")
                        .isEqualTo(1);
                assertThat(commandsOf(EventType.SET_CAPACITY)).isEqualTo(1);
            }
        }

        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlq = TestConsumers.fromBeginning(
                SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DEADLETTER.topic())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if (group.equals(r.key())
                            && "drplane-failover-coordinator".equals(header(r, DeadLetterHeaders.CONSUMER_GROUP))) {
                        dead.add(r);
                    }
                }
                return !dead.isEmpty();
            });
        }
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("garbage, not an event");
    }

    @Test
    void shouldTakeOverAGroupExactlyAsItsLastOwnerLeftIt() throws Exception {
        Plan plan = provisionedPlan();
        GroupState left;
        try (Running first = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "exact-1-" + group,
                                reader("exact-it-1"),
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "exact-it-1");
                KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> first.loop().owned().contains(CoordinatorClients.partitionOf(group)));
            rounds(producer, 3, true);
            // One vantage point's breaker on the primary takes two failures, then every vantage point reports success
            // again: each moved the breaker's run of failures, a decision a snapshot is written for. Once that is
            // committed, only when each vantage point last reported and its sliding window change, which wait for the
            // snapshot refresh: the state the first instance leaves is newer than its last snapshot.
            for (int i = 0; i < 2; i++) {
                producer.send(record(observed("us-east-1", "v1", false))).get(10, TimeUnit.SECONDS);
            }
            rounds(producer, 1, true);
            sendAndAwaitCommitted(producer, first.loop(), observed("us-west-2", "v3", true));
            rounds(producer, 3, true);
            sendAndAwaitCommitted(producer, first.loop(), observed("us-west-2", "v3", true));
            left = first.loop()
                    .view()
                    .state(group)
                    .orElseThrow(); // as committed: nothing more comes in before the instance stops
        }
        assertThat(latestSnapshot())
                .as("the snapshot on the topic is older than the state the first instance left")
                .isNotEqualTo(left);

        try (Running second = running(
                new CoordinatorLoop(
                        plan,
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                        "exact-2-" + group,
                        reader("exact-it-2"),
                        RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                        RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                "exact-it-2")) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> second.loop().owned().contains(CoordinatorClients.partitionOf(group)));
            assertThat(second.loop().view().state(group))
                    .as("the snapshot and the journal since it")
                    .contains(left);
        }
    }

    /** Sends an observation and waits until the loop's committed state of the group holds it. */
    private void sendAndAwaitCommitted(
            KafkaProducer<String, Event<?>> producer, CoordinatorLoop loop, HealthObserved observation)
            throws Exception {
        producer.send(record(observation)).get(10, TimeUnit.SECONDS);
        Instant seen = observation.observedAt().truncatedTo(ChronoUnit.MILLIS); // times travel as milliseconds
        String key = GroupState.seenKey(observation.region(), observation.vantage());
        await().atMost(Duration.ofSeconds(30)).until(() -> loop.view()
                .state(group)
                .map(s -> s.sightings().containsKey(key)
                        && seen.equals(s.sightings().get(key).lastSeen()))
                .orElse(false));
    }

    /** The group's latest state on the compacted snapshot topic. */
    private GroupState latestSnapshot() {
        List<GroupState> states = new ArrayList<>();
        Properties config = CoordinatorClients.consumer(
                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()));
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> snapshots = new KafkaConsumer<>(config)) {
            ReadToEnd.read(
                    snapshots, ReadToEnd.partitionsOf(snapshots, TopicFamily.COORDINATOR_SNAPSHOTS.topic()), r -> {
                        if (group.equals(r.key())) {
                            states.add(StateCodec.decode(r.value()));
                        }
                    });
        }
        return states.get(states.size() - 1);
    }

    @Test
    void shouldDecideAFailoverOnAnotherInstanceSoonAfterTheOwnerIsKilled() throws Exception {
        // The owner is a JVM of its own, killed outright as a lost node or an OOM kill would: its partitions go to
        // another instance only once the broker gives up on its session.
        Plan plan = provisionedPlan();
        Process owner = startOwner(TestPlans.warmStandby(dir, group, "automatic"));
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaConsumer<String, byte[]> snapshots = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        TopicFamily.COORDINATOR_SNAPSHOTS.topic());
                KafkaConsumer<String, byte[]> out = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DECISIONS.topic())) {
            producer.send(record(new ReplicationLagObserved(
                            group,
                            "orders-db",
                            "us-east-1",
                            "us-west-2",
                            LagStatus.MEASURED,
                            300L,
                            null,
                            LagMethod.HEARTBEAT,
                            Instant.now(),
                            null)))
                    .get(10, TimeUnit.SECONDS);
            rounds(producer, 3, true);
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> { // the owner decided the healthy group and committed it
                                for (ConsumerRecord<String, byte[]> r : snapshots.poll(Duration.ofMillis(200))) {
                                    if (group.equals(r.key())) {
                                        return true;
                                    }
                                }
                                return false;
                            });

            owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            try (Running successor = running(
                    new CoordinatorLoop(
                            plan,
                            KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                            "crash-2-" + group,
                            reader("crash-it"),
                            RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                            RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                    "crash-it-successor")) {
                rounds(producer, 3, false); // the primary goes down while no instance decides the group
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    read(out);
                    return decisions.stream().anyMatch(d -> d instanceof FailoverStarted);
                });
                Duration afterKill = Duration.ofNanos(System.nanoTime() - killed);
                System.out.printf("failover decided %d ms after the owner was killed%n", afterKill.toMillis());
                FailoverStarted started = (FailoverStarted) decisions.stream()
                        .filter(d -> d instanceof FailoverStarted)
                        .findFirst()
                        .orElseThrow();
                assertThat(started.reason().code()).isEqualTo(ReasonCode.FAILOVER_AUTOMATIC);
                assertThat(successor.loop().owned()).contains(CoordinatorClients.partitionOf(group));
                assertThat(afterKill)
                        .as(
                                "the session timeout (%s) and a rebalance, well under the client's default 45 s",
                                CoordinatorClients.SESSION_TIMEOUT)
                        .isLessThan(Duration.ofSeconds(30));
            }
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void shouldReleaseACommandHeldBehindADeadInstancesTransactionWithinTheTransactionTimeout() throws Exception {
        // A coordinator that dies with a transaction open leaves it open on every partition it wrote: no read_committed
        // reader (an executor) sees past it until the broker aborts it, after the loop's transaction timeout. Here the
        // dead instance's transaction holds the standby's command partition of the group, as one killed between a
        // command's send and its commit would; its successor's command waits behind it, and then goes through.
        Plan plan = provisionedPlan();
        String commandTopic = TopicFamily.COMMANDS.topic("us-west-2");
        KafkaProducer<String, byte[]> dead = new KafkaProducer<>(CoordinatorClients.producer(
                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()), "dead-" + group));
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaConsumer<String, byte[]> out = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        commandTopic,
                        TopicFamily.DECISIONS.topic());
                Running live = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "live-" + group,
                                reader("held-it"),
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "held-it-live")) {
            dead.initTransactions();
            dead.beginTransaction();
            dead.send(new ProducerRecord<>(
                            commandTopic, group, "sent, never committed".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS);
            long opened = System.nanoTime(); // the dead instance goes silent here

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> live.loop().owned().contains(CoordinatorClients.partitionOf(group)));
            producer.send(record(new ReplicationLagObserved(
                            group,
                            "orders-db",
                            "us-east-1",
                            "us-west-2",
                            LagStatus.MEASURED,
                            300L,
                            null,
                            LagMethod.HEARTBEAT,
                            Instant.now(),
                            null)))
                    .get(10, TimeUnit.SECONDS);
            rounds(producer, 3, true);
            rounds(producer, 3, false);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                read(out);
                return decisions.stream().anyMatch(d -> d instanceof FailoverStarted);
            });
            Duration decided = Duration.ofNanos(System.nanoTime() - opened);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                read(out); // the dead record, were it ever read, is no event and fails the read
                return commandsOf(EventType.PROMOTE_REPLICA) == 1;
            });
            Duration readable = Duration.ofNanos(System.nanoTime() - opened);
            System.out.printf(
                    "failover decided %d ms after the dead transaction opened; its command readable after %d ms%n",
                    decided.toMillis(), readable.toMillis());

            assertThat(decided)
                    .as("the failover is decided on the decisions topic, which the dead transaction did not write")
                    .isLessThan(CoordinatorClients.TRANSACTION_TIMEOUT);
            assertThat(readable)
                    .as("the command waited for the broker to abort the dead transaction")
                    .isGreaterThanOrEqualTo(CoordinatorClients.TRANSACTION_TIMEOUT.minusSeconds(1));
            assertThat(readable)
                    .as(
                            "the transaction timeout (%s) and the broker's check for timed-out transactions (10 s by default)",
                            CoordinatorClients.TRANSACTION_TIMEOUT)
                    .isLessThan(CoordinatorClients.TRANSACTION_TIMEOUT.plusSeconds(20));
        } finally {
            try {
                dead.abortTransaction(); // if the test failed early: other tests read this partition read_committed too
            } catch (KafkaException e) {
                // aborted by the broker already, as it should be
            }
            dead.close(Duration.ZERO);
        }
    }

    /** The coordinator in a JVM of its own ({@link io.drplane.coordinator.bench.CoordinatorProcess}), owning every partition. */
    private static Process startOwner(Path planFile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CoordinatorProcess.class.getName(),
                        SharedKafka.bootstrapServers(),
                        planFile.toString(),
                        SharedKafka.propertiesFile().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread output = new Thread(
                () -> {
                    try (var lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            if (line.equals("ready")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException e) {
                        // the process was killed
                    }
                },
                "crash-it-owner-output");
        output.setDaemon(true);
        output.start();
        if (!ready.await(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the owner's JVM did not take its partitions within 2 minutes");
        }
        return process;
    }

    @Test
    void shouldFenceAZombieWithTheSameIdentity() throws Exception {
        Plan plan = provisionedPlan();
        DeadLetteringReader reader = reader("zombie-it");
        CoordinatorLoop zombie = new CoordinatorLoop(
                plan,
                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                "same-" + group,
                reader,
                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test"));
        Thread zombieThread = started(zombie, "zombie");
        await().atMost(Duration.ofSeconds(30)).until(() -> !zombie.owned().isEmpty());

        // A new instance with the same identity (a restarted pod, say) starts while the old one still runs.
        CoordinatorLoop successor = new CoordinatorLoop(
                plan,
                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                "same-" + group,
                reader,
                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test"));
        Thread successorThread = started(successor, "successor");
        try (KafkaProducer<String, Event<?>> producer =
                new KafkaProducer<>(KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                        .eventProducer("it"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                rounds(producer, 1, true); // give both something to commit
                return zombie.fenced() || !zombieThread.isAlive();
            });
        } finally {
            successor.close();
            zombie.close();
            successorThread.join(10_000);
            zombieThread.join(10_000);
        }
        assertThat(zombie.fenced())
                .as("the old instance was fenced off and stopped")
                .isTrue();
        assertThat(successor.fenced()).isFalse();
        assertThat(zombie.problem(Duration.ofSeconds(30)))
                .as("/health says DOWN, and why")
                .hasValueSatisfying(why -> assertThat(why)
                        .startsWith("fenced off: another coordinator instance with the identity same-" + group));
        assertThat(successor.problem(Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void shouldCommitACommandWithoutWaitingForTheRestOfItsBatch() throws Exception {
        assertThat(CommitSchedule.INPUTS_AFTER_A_COMMAND)
                .as("fewer than the 165 inputs this test puts after the command")
                .isLessThan(165);
        Plan plan = provisionedPlan();
        DeadLetteringReader reader = reader("batch-it");
        // A first instance sees the group healthy with a fresh lag (a poll orders partitions, not time: the lag
        // must be in before the failures).
        CoordinatorLoop first = new CoordinatorLoop(
                plan,
                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                "batch-" + group,
                reader,
                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test"));
        Thread firstThread = started(first, "coordinator-batch-it-1");
        try (KafkaProducer<String, Event<?>> producer =
                new KafkaProducer<>(KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                        .eventProducer("it"))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> first.owned().contains(CoordinatorClients.partitionOf(group)));
            rounds(producer, 3, true);
            producer.send(record(new ReplicationLagObserved(
                            group,
                            "orders-db",
                            "us-east-1",
                            "us-west-2",
                            LagStatus.MEASURED,
                            300L,
                            null,
                            LagMethod.HEARTBEAT,
                            Instant.now(),
                            null)))
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> first.view()
                    .state(group)
                    .map(s -> !s.lags().isEmpty())
                    .orElse(false));
            first.close();
            firstThread.join(10_000);
            // With no instance running, the failures and 27 more rounds after them wait on the topic, so the next
            // instance's poll takes the observation that tips the failover (the third round's second vantage point)
            // together with the 165 that follow it.
            rounds(producer, 30, false);
        }
        String tipping;
        try (Running running = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "batch-" + group,
                                reader,
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "coordinator-batch-it-2");
                KafkaConsumer<String, byte[]> out = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        TopicFamily.COMMANDS.topic("us-west-2"));
                KafkaConsumer<String, byte[]> journal = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        TopicFamily.COORDINATOR_JOURNAL.topic())) {
            CoordinatorLoop loop = running.loop();
            List<String> commandIds = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : out.poll(Duration.ofMillis(200))) {
                    Event<?> event = EventCodec.instance().decode(r.value());
                    if (event.subject().equals(group)) {
                        commandIds.add(event.id());
                    }
                }
                return !commandIds.isEmpty();
            });
            tipping = commandIds.get(0).substring(0, commandIds.get(0).indexOf('/'));
            // The journal record (one per input partition per transaction) that holds the tipping observation ends
            // soon after it: the transaction was committed there, and the 165 observations after it did not all wait in
            // it.
            List<List<String>> transactions = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : journal.poll(Duration.ofMillis(200))) {
                    List<String> ids = new ArrayList<>();
                    for (JournalBatch.Entry entry : JournalBatch.decode(r.value())) {
                        if (group.equals(entry.key())) {
                            ids.add(EventCodec.instance().decode(entry.value()).id());
                        }
                    }
                    if (!ids.isEmpty()) {
                        transactions.add(ids);
                    }
                }
                return transactions.stream().mapToInt(List::size).sum() >= 3 * 6 + 1 + 30 * 6;
            });
            List<String> withTipping = transactions.stream()
                    .filter(t -> t.contains(tipping))
                    .findFirst()
                    .orElseThrow();
            assertThat(withTipping.size() - 1 - withTipping.indexOf(tipping))
                    .as("inputs after the command's in its transaction")
                    .isLessThanOrEqualTo(CommitSchedule.INPUTS_AFTER_A_COMMAND);
            assertThat(transactions.get(transactions.size() - 1))
                    .as("the inputs after those are in a later transaction")
                    .doesNotContain(tipping);
        }
    }

    @Test
    void shouldCommitDecisionsWithoutACommandWhenTheInputGoesQuiet() throws Exception {
        Plan plan = provisionedPlan();
        // A transaction without a command stays open across polls (CommitSchedule). No tick writer here: after the
        // observations below nothing more arrives, so only the loop's own commit interval can make their decisions
        // readable.
        try (Running running = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "quiet-" + group,
                                reader("quiet-it"),
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "coordinator-quiet-it");
                KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaConsumer<String, byte[]> out = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        TopicFamily.DECISIONS.topic(),
                        TopicFamily.COMMANDS.topic("us-west-2"))) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
            rounds(producer, 3, true);
            // One vantage point sees the primary fail three times: its breaker opens, which is a decision and no
            // command.
            for (int i = 0; i < 3; i++) {
                producer.send(record(observed("us-east-1", "v1", false))).get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                read(out);
                return decisions.stream()
                        .anyMatch(d -> d instanceof BreakerTransitioned b && b.to() == BreakerState.OPEN);
            });
            assertThat(commands).isEmpty();
        }
    }

    @Test
    void shouldJournalABacklogOfOnePartitionInRecordsTheProducerAccepts() throws Exception {
        Plan plan = provisionedPlan();
        // With no instance running, megabytes of observations of one group wait on its partition. The next instance
        // (its commit interval long enough to take them all in one transaction, as a warm instance takes several
        // fetches in 100 ms) must not put them in one journal record: that is over the producer's max.request.size,
        // fails the commit, and fails it again on every retry.
        int backlog = 6_000;
        try (KafkaProducer<String, Event<?>> producer =
                new KafkaProducer<>(KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                        .eventProducer("it"))) {
            for (int i = 0; i < backlog; i++) {
                producer.send(record(observed("us-west-2", "v" + i % 3, true)));
            }
            producer.flush();
        }
        try (Running running = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "backlog-" + group,
                                reader("backlog-it"),
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test"),
                                Clock.systemUTC(),
                                Duration.ofSeconds(5)),
                        "coordinator-backlog-it");
                KafkaConsumer<String, byte[]> journal = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        TopicFamily.COORDINATOR_JOURNAL.topic())) {
            CoordinatorLoop loop = running.loop();
            List<Integer> recordSizes = new ArrayList<>();
            int[] journaled = {0};
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : journal.poll(Duration.ofMillis(200))) {
                    long ours = JournalBatch.decode(r.value()).stream()
                            .filter(entry -> group.equals(entry.key()))
                            .count();
                    if (ours > 0) {
                        journaled[0] += (int) ours;
                        recordSizes.add(r.value().length);
                    }
                }
                return journaled[0] >= backlog;
            });
            assertThat(journaled[0]).isEqualTo(backlog);
            assertThat(recordSizes)
                    .as("journal record sizes")
                    .allMatch(size -> size <= TransactionWriter.JOURNAL_RECORD_BYTES);
            assertThat(loop.fenced()).isFalse();
            assertThat(loop.view().state(group)).as("the backlog was decided").isPresent();
        }
    }

    @Test
    void shouldDeadLetterAnInputKeyedOtherThanItsGroupAndLeaveTheGroupAlone() throws Exception {
        Plan plan = provisionedPlan();
        String otherKey = "not-" + group;
        try (Running running = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "keyed-" + group,
                                reader("keyed-it"),
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "keyed-it");
                KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaConsumer<String, byte[]> dlq = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DEADLETTER.topic())) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
            rounds(producer, 3, true);
            sendAndAwaitCommitted(producer, loop, observed("us-west-2", "v3", true));
            GroupState before = loop.view().state(group).orElseThrow();

            // A failure about this group, keyed by another: on a real cluster it lands on the partition of whoever
            // owns that key, which is not necessarily the owner of this group's state.
            Event<?> stray = Event.of(URI.create("/test"), Instant.now(), observed("us-east-1", "v1", false));
            producer.send(new ProducerRecord<>(TopicFamily.HEALTH.topic(), otherKey, stray))
                    .get(10, TimeUnit.SECONDS);

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if (otherKey.equals(r.key())) {
                        dead.add(r);
                    }
                }
                return !dead.isEmpty();
            });
            assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_CLASS)).endsWith("InputRefusedException");
            assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_MESSAGE))
                    .contains("keyed '" + otherKey + "' but is about group '" + group + "'");
            sendAndAwaitCommitted(producer, loop, observed("us-west-2", "v2", true));
            String seen = GroupState.seenKey("us-east-1", "v1");
            assertThat(loop.view().state(group).orElseThrow().sightings().get(seen))
                    .as("the stray failure was not decided")
                    .isEqualTo(before.sightings().get(seen));
        }
    }

    @Test
    void shouldRefuseOperatorEventsWithoutTheApisSignatureAndTakeASignedOne() throws Exception {
        Plan plan = provisionedPlan();
        RecordSignatures keys = RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test");
        try (Running running = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "signed-" + group,
                                reader("signed-it"),
                                keys,
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "signed-it");
                KafkaProducer<String, Event<?>> anyone = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaProducer<String, Event<?>> mallory = new KafkaProducer<>(KafkaClientConfig.of(
                                SharedKafka.bootstrapServers(), SharedKafka.connection())
                        .signingEventProducer(
                                "mallory",
                                RecordSignatures.parse(
                                        "test:" + "bWFsbG9yeS1rbm93cy10aGUta2V5LWlkLWJ1dC1ub3QtdGhlLXNlY3JldA==",
                                        "mallory")));
                KafkaProducer<String, Event<?>> api = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .signingEventProducer("api", keys));
                KafkaConsumer<String, byte[]> dlq = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DEADLETTER.topic())) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
            rounds(anyone, 3, true);
            anyone.send(record(new ReplicationLagObserved(
                            group,
                            "orders-db",
                            "us-east-1",
                            "us-west-2",
                            LagStatus.MEASURED,
                            300L,
                            null,
                            LagMethod.HEARTBEAT,
                            Instant.now(),
                            null)))
                    .get(10, TimeUnit.SECONDS);
            SwitchoverRequested request =
                    new SwitchoverRequested(group, "us-west-2", "mallory", "forged", Instant.now());

            // Written straight to the operator topic with no signature, with another secret under the right key id,
            // and to the health topic (whose writers may not speak for an operator): each refused with its reason.
            anyone.send(record(request)).get(10, TimeUnit.SECONDS);
            mallory.send(record(request)).get(10, TimeUnit.SECONDS);
            anyone.send(new ProducerRecord<>(
                            TopicFamily.HEALTH.topic(),
                            group,
                            Event.of(URI.create("/mallory"), Instant.now(), request)))
                    .get(10, TimeUnit.SECONDS);
            List<String> reasons = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if (group.equals(r.key())) {
                        reasons.add(header(r, DeadLetterHeaders.ERROR_MESSAGE));
                    }
                }
                return reasons.size() >= 3;
            });
            assertThat(reasons)
                    .satisfiesExactlyInAnyOrder(
                            r -> assertThat(r)
                                    .startsWith(ReasonCode.OPERATOR_SIGNATURE_MISSING
                                            + ": the operator event carries no dr.signature header"),
                            r -> assertThat(r)
                                    .startsWith(
                                            ReasonCode.OPERATOR_SIGNATURE_INVALID
                                                    + ": the operator event's signature by key 'test' does not match its content"),
                            r -> assertThat(r)
                                    .startsWith(ReasonCode.INPUT_ON_WRONG_TOPIC
                                            + ": the event operator.switchover-requested belongs on dr.operator.v1,"
                                            + " not on dr.health.v1"));
            sendAndAwaitCommitted(anyone, loop, observed("us-west-2", "v2", true));
            assertThat(loop.view().timeline(group))
                    .as("no forged request was decided")
                    .noneMatch(e -> e.data() instanceof FailoverProposed || e.data() instanceof FailoverHeld);

            // The API's own request, signed with the coordinator's key, is decided.
            api.send(record(new SwitchoverRequested(group, "us-west-2", "carol", "planned", Instant.now())))
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.view().timeline(group).stream()
                    .anyMatch(e ->
                            e.data() instanceof FailoverProposed p && p.kind() == FailoverKind.PLANNED_SWITCHOVER));
        }
    }

    @Test
    void shouldRefuseAnObservationFromAClockAYearAheadAndNameTheVantagePoint() throws Exception {
        Plan plan = provisionedPlan();
        try (Running running = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "skew-" + group,
                                reader("skew-it"),
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "skew-it");
                KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaConsumer<String, byte[]> dlq = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DEADLETTER.topic());
                KafkaConsumer<String, byte[]> journal = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        TopicFamily.COORDINATOR_JOURNAL.topic())) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
            rounds(producer, 3, true);
            sendAndAwaitCommitted(producer, loop, observed("us-west-2", "v2", true));
            GroupState before = loop.view().state(group).orElseThrow();

            // v3's clock is a year ahead: the observation and its envelope carry that time.
            Instant ahead = Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.MILLIS);
            HealthObserved skewed = new HealthObserved(
                    group, "us-east-1", "web", "v3", ProbeSource.HTTPS, ProbeOutcome.OK, 200, 10, ahead, null);
            producer.send(new ProducerRecord<>(
                            TopicFamily.HEALTH.topic(), group, Event.of(URI.create("/test/v3"), ahead, skewed)))
                    .get(10, TimeUnit.SECONDS);

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if (group.equals(r.key())) {
                        dead.add(r);
                    }
                }
                return !dead.isEmpty();
            });
            assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_CLASS))
                    .isEqualTo(InputRefusedException.class.getName());
            assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith(
                            "INPUT_FROM_THE_FUTURE: vantage point v3's observation of us-east-1/web is dated " + ahead)
                    .containsPattern(", 36[45] days ahead of the coordinator.s clock \\(");
            sendAndAwaitCommitted(producer, loop, observed("us-west-2", "v1", true));
            GroupState after = loop.view().state(group).orElseThrow();
            assertThat(after.now())
                    .as("the coordinator's time, not v3's")
                    .isBefore(Instant.now().plusSeconds(5));
            assertThat(after.sightings().get(GroupState.seenKey("us-east-1", "v3")))
                    .as("the refused observation changed nothing")
                    .isEqualTo(before.sightings().get(GroupState.seenKey("us-east-1", "v3")));
            assertThat(loop.view().observerClocks(group).get("v3")).satisfies(clock -> {
                assertThat(clock.refused()).isTrue();
                assertThat(Duration.ofMillis(clock.skewMillis())).isGreaterThan(Duration.ofDays(364));
            });
            assertThat(loop.view().observerClocks(group).get("v1").refused()).isFalse();
            assertThat(loop.view().refusedInputs()).containsEntry(ReasonCode.INPUT_FROM_THE_FUTURE, 1L);

            // The journal holds each input with the coordinator's clock when it arrived, so a replay decides the same.
            List<JournalBatch.Entry> entries = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : journal.poll(Duration.ofMillis(200))) {
                    entries.addAll(JournalBatch.decode(r.value()));
                }
                return entries.stream()
                        .anyMatch(e -> group.equals(e.key())
                                && e.value().length > 0
                                && new String(e.value(), StandardCharsets.UTF_8).contains("\"/test/v3\""));
            });
            JournalBatch.Entry journaled = entries.stream()
                    .filter(e -> new String(e.value(), StandardCharsets.UTF_8).contains("\"/test/v3\""))
                    .findFirst()
                    .orElseThrow();
            assertThat(Instant.ofEpochMilli(journaled.arrivedAtMillis()))
                    .isBetween(Instant.now().minusSeconds(60), Instant.now());
        }
    }

    @Test
    void shouldNeverGoBackInEpochWhenTheSnapshotDoesNotDecode() throws Exception {
        Plan plan = provisionedPlan();
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                        SharedKafka.clientSettings(), new StringSerializer(), new ByteArraySerializer());
                KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"))) {
            // Executors saw epoch 7 for this group (an earlier coordinator's failovers), and its snapshot is unreadable
            // (written by a version whose format this one does not read, say).
            producer.send(record(new CommandRejected(
                            group,
                            "old:promote-database:1",
                            "old",
                            "us-west-2",
                            6,
                            EventType.PROMOTE_REPLICA,
                            7,
                            Instant.now(),
                            Reason.of(ReasonCode.EPOCH_STALE, "epoch 6 is lower than 7."))))
                    .get(10, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(
                            TopicFamily.COORDINATOR_SNAPSHOTS.topic(),
                            group,
                            "{ not a state".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS);
        }
        try (Running running = running(
                new CoordinatorLoop(
                        plan,
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                        "epoch-" + group,
                        reader("epoch-it"),
                        RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                        RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                "epoch-it")) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));

            assertThat(loop.fenced())
                    .as("no crash over the unreadable snapshot")
                    .isFalse();
            assertThat(loop.view().state(group))
                    .as("restored afresh at the highest epoch the executors have seen")
                    .hasValueSatisfying(state -> assertThat(state.epoch()).isEqualTo(7));
        }
    }

    @Test
    void shouldCountAJournaledInputThatNoLongerDecodesAndRestoreTheGroupWithoutIt() throws Exception {
        Plan plan = provisionedPlan();
        int partition = CoordinatorClients.partitionOf(group);
        TopicPartition journal = new TopicPartition(TopicFamily.COORDINATOR_JOURNAL.topic(), partition);
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .bytesProducer("it"));
                KafkaConsumer<String, byte[]> ends = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), journal.topic())) {
            long journalEnd = ends.endOffsets(List.of(journal)).get(journal);
            // The group's snapshot, which has decided no health input yet, and whose journal starts here...
            ProducerRecord<String, byte[]> snapshot = new ProducerRecord<>(
                    TopicFamily.COORDINATOR_SNAPSHOTS.topic(),
                    partition,
                    group,
                    StateCodec.encode(new Decider(plan).initial(group, Instant.now())));
            new SnapshotPosition(journalEnd, Map.of(TopicFamily.HEALTH.topic(), 0L)).addTo(snapshot.headers());
            raw.send(snapshot).get(10, TimeUnit.SECONDS);
            // ...then a journal record with one input the codec cannot read any more and one it can.
            Instant now = Instant.now();
            byte[] readable = EventCodec.instance()
                    .encode(new Event<>(
                            "readable-" + group,
                            URI.create("/it"),
                            now,
                            new HealthObserved(
                                    group,
                                    "us-east-1",
                                    "web",
                                    "v1",
                                    ProbeSource.HTTPS,
                                    ProbeOutcome.OK,
                                    200,
                                    10,
                                    now,
                                    null)));
            raw.send(new ProducerRecord<>(
                            journal.topic(),
                            partition,
                            group,
                            JournalBatch.encode(List.of(
                                    new JournalBatch.Entry(
                                            TopicFamily.HEALTH.topic(),
                                            1,
                                            now.toEpochMilli(),
                                            group,
                                            "{ a format this version no longer reads".getBytes(StandardCharsets.UTF_8)),
                                    new JournalBatch.Entry(
                                            TopicFamily.HEALTH.topic(), 2, now.toEpochMilli(), group, readable)))))
                    .get(10, TimeUnit.SECONDS);
        }
        try (Running running = running(
                new CoordinatorLoop(
                        plan,
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                        "journal-" + group,
                        reader("journal-it"),
                        RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                        RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                "journal-it")) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.owned().contains(partition));

            assertThat(loop.undecodableJournalEntries())
                    .as("counted (the drplane.coordinator.restore.undecodable metric), not only logged")
                    .isEqualTo(1);
            assertThat(loop.fenced()).isFalse();
            assertThat(loop.replayedInputs())
                    .as("the readable input after it is decided again")
                    .isGreaterThanOrEqualTo(1);
            assertThat(loop.view().state(group)).isPresent();
        }
    }

    @Test
    void shouldDeadLetterAnInputTooLargeToJournalAndDecideTheNextOne() throws Exception {
        Plan plan = provisionedPlan();
        // Any input is journaled in a record of at most the producer's request size, with its topic and offset: one
        // near the broker's 1 MB limit cannot be, and a commit holding it would fail, and fail again on every retry.
        // The loop refuses inputs over its limit to the dead-letter topic, naming the limit, and goes on.
        byte[] huge = oversizedObservation();
        try (Running running = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "huge-" + group,
                                reader("huge-it"),
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "coordinator-huge-it");
                KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaConsumer<String, byte[]> out = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DECISIONS.topic());
                KafkaConsumer<String, byte[]> dlq = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DEADLETTER.topic())) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
            rounds(producer, 3, true);
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                    SharedKafka.clientSettings(), new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(TopicFamily.HEALTH.topic(), group, huge))
                        .get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 3; i++) {
                producer.send(record(observed("us-east-1", "v2", false))).get(10, TimeUnit.SECONDS);
            }

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if (group.equals(r.key())) {
                        dead.add(r);
                    }
                }
                read(out);
                return !dead.isEmpty()
                        && decisions.stream()
                                .anyMatch(d -> d instanceof BreakerTransitioned b
                                        && b.vantage().equals("v2")
                                        && b.to() == BreakerState.OPEN);
            });
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo(huge);
            assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith("an input of ")
                    .contains("bytes is over the " + InputGate.MAX_INPUT_BYTES + " bytes the coordinator takes");
            assertThat(header(dead.get(0), DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(TopicFamily.HEALTH.topic());
            assertThat(header(dead.get(0), DeadLetterHeaders.ERROR_CLASS))
                    .isEqualTo(InputRefusedException.class.getName());
            assertThat(loop.fenced()).isFalse();
        }
    }

    @Test
    void shouldLeaveNoTraceOfAnAbortedTransactionAndDecideAndDeadLetterItsInputsOnce() throws Exception {
        Plan plan = provisionedPlan();
        // The broker refuses every write to the decisions topic while its record limit is lowered: each transaction
        // that
        // holds a decision fails and is aborted, and its inputs are read and decided again. Nothing of it may reach the
        // API's state and timeline, or the topics; once the limit is back, the failover is decided and commanded once.
        ConfigResource decisionsTopic = new ConfigResource(ConfigResource.Type.TOPIC, TopicFamily.DECISIONS.topic());
        try (Admin admin = SharedKafka.admin();
                Running running = running(
                        new CoordinatorLoop(
                                plan,
                                KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection()),
                                "abort-" + group,
                                reader("abort-it"),
                                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")),
                        "coordinator-abort-it");
                KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(
                        KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                                .eventProducer("it"));
                KafkaConsumer<String, byte[]> out = TestConsumers.fromBeginning(
                        SharedKafka.bootstrapServers(),
                        SharedKafka.connection(),
                        TopicFamily.DECISIONS.topic(),
                        TopicFamily.COMMANDS.topic("us-west-2"))) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
            producer.send(record(new ReplicationLagObserved(
                            group,
                            "orders-db",
                            "us-east-1",
                            "us-west-2",
                            LagStatus.MEASURED,
                            300L,
                            null,
                            LagMethod.HEARTBEAT,
                            Instant.now(),
                            null)))
                    .get(10, TimeUnit.SECONDS);
            rounds(producer, 3, true);
            await().atMost(Duration.ofSeconds(20)).until(() -> loop.view()
                    .state(group)
                    .map(s -> s.analysis() == Analysis.ALL_HEALTHY)
                    .orElse(false));
            List<Event<?>> healthyTimeline = loop.view().timeline(group);

            try {
                // Under any decision (500 bytes and more), over the broker's own transaction marker (about 80 bytes):
                // a marker the limit refused would leave the transaction open on the partition for good.
                limitDecisionRecords(admin, decisionsTopic, "300");
                rounds(producer, 3, false);
                // Garbage after the failures is read again with them after every abort: it must be dead-lettered once.
                try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                        SharedKafka.clientSettings(), new StringSerializer(), new ByteArraySerializer())) {
                    raw.send(new ProducerRecord<>(
                                    TopicFamily.HEALTH.topic(),
                                    group,
                                    "garbage amid aborts".getBytes(StandardCharsets.UTF_8)))
                            .get(10, TimeUnit.SECONDS);
                }
                long abortedBefore = loop.abortedTransactions();
                await().atMost(Duration.ofSeconds(30)).until(() -> loop.abortedTransactions() >= abortedBefore + 3);

                assertThat(loop.view().state(group).orElseThrow().analysis())
                        .as("the state as of the last commit")
                        .isEqualTo(Analysis.ALL_HEALTHY);
                assertThat(loop.view().state(group).orElseThrow().failover()).isNull();
                assertThat(loop.view().state(group).orElseThrow().epoch()).isZero();
                assertThat(loop.view().timeline(group))
                        .as("no decision of an aborted transaction")
                        .isEqualTo(healthyTimeline);
                read(out);
                assertThat(commands)
                        .as("no command of an aborted transaction is readable")
                        .isEmpty();
                assertThat(decisions).noneMatch(d -> d instanceof FailoverStarted);
            } finally {
                limitDecisionRecords(admin, decisionsTopic, null);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                read(out);
                return commandsOf(EventType.PROMOTE_REPLICA) == 1
                        && decisions.stream().anyMatch(d -> d instanceof FailoverStarted);
            });
            assertThat(loop.view().state(group).orElseThrow().epoch()).isEqualTo(1);
            assertThat(loop.view().timeline(group).stream().filter(e -> e.data() instanceof FailoverStarted))
                    .as("decided once, shown once")
                    .hasSize(1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> {
                read(out);
                return true;
            });
            assertThat(commandsOf(EventType.PROMOTE_REPLICA))
                    .as("commanded once")
                    .isEqualTo(1);
            assertThat(decisions.stream().filter(d -> d instanceof FailoverStarted))
                    .as("started once on the topic")
                    .hasSize(1);
            assertThat(loop.fenced()).isFalse();
        }
        List<String> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlq = TestConsumers.fromBeginning(
                SharedKafka.bootstrapServers(), SharedKafka.connection(), TopicFamily.DEADLETTER.topic())) {
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if (group.equals(r.key())) {
                        dead.add(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
                return !dead.isEmpty();
            });
        }
        assertThat(dead)
                .as("dead-lettered in the transaction that committed, not in each aborted one")
                .containsExactly("garbage amid aborts");
    }

    /** Sets the decisions topic's record limit, or removes the override with null; the broker applies it to the next write. */
    private static void limitDecisionRecords(Admin admin, ConfigResource topic, String maxMessageBytes)
            throws Exception {
        var entry = new ConfigEntry("max.message.bytes", maxMessageBytes);
        var op = new AlterConfigOp(
                entry, maxMessageBytes == null ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var value = admin.describeConfigs(List.of(topic))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .get("max.message.bytes");
            return maxMessageBytes == null
                    ? value.isDefault() || value.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                    : maxMessageBytes.equals(value.value());
        });
    }

    /** A valid observation of this test's group, encoded, of more than {@link InputGate.MAX_INPUT_BYTES}. */
    private byte[] oversizedObservation() {
        Instant at = Instant.now();
        HealthObserved observed = new HealthObserved(
                group,
                "us-east-1",
                "web",
                "v1",
                ProbeSource.HTTPS,
                ProbeOutcome.TIMEOUT,
                null,
                10,
                at,
                "x".repeat(InputGate.MAX_INPUT_BYTES + 1));
        return EventCodec.instance().encode(new Event<>("oversized-" + group, URI.create("/it"), at, observed));
    }

    /** Runs a loop started by hand on a thread of its own, as the service does. */
    private static Thread started(CoordinatorLoop loop, String name) {
        Thread thread = new Thread(loop, name);
        thread.start();
        return thread;
    }

    /** A loop started by hand on a thread of its own; closing stops it and waits for its thread. */
    private record Running(CoordinatorLoop loop, Thread thread) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            loop.close();
            thread.join(10_000);
        }
    }

    private static Running running(CoordinatorLoop loop, String name) {
        return new Running(loop, started(loop, name));
    }

    /** The topics provisioned and this test's group, in automatic mode, as the plan of a loop started by hand. */
    private Plan provisionedPlan() throws Exception {
        provisionTopics();
        return PlanLoader.load(TestPlans.warmStandby(dir, group, "automatic"));
    }

    private static void provisionTopics() throws Exception {
        try (Admin admin = SharedKafka.admin()) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
    }

    /** The dead-lettering reader a {@link CoordinatorLoop} started by hand takes, as the service builds it. */
    private static DeadLetteringReader reader(String clientId) {
        return new DeadLetteringReader(
                new KafkaProducer<>(KafkaClientConfig.of(SharedKafka.bootstrapServers(), SharedKafka.connection())
                        .deadLetterProducer(clientId)),
                "drplane-failover-coordinator",
                EventCodec.instance(),
                Clock.systemUTC());
    }

    private void awaitOwnership(ApplicationContext context) {
        CoordinatorLoop loop = context.getBean(FailoverCoordinator.class).loop();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
    }

    private void rounds(KafkaProducer<String, Event<?>> producer, int count, boolean primaryOk) throws Exception {
        for (int i = 0; i < count; i++) {
            for (String vantage : List.of("v1", "v2", "v3")) {
                producer.send(record(observed("us-east-1", vantage, primaryOk))).get(10, TimeUnit.SECONDS);
                producer.send(record(observed("us-west-2", vantage, true))).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private HealthObserved observed(String region, String vantage, boolean ok) {
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

    private CommandSucceeded succeeded(Command c) {
        return new CommandSucceeded(
                group,
                c.commandId(),
                c.failoverId(),
                c.region(),
                c.epoch(),
                c.eventType(),
                Instant.now(),
                Instant.now(),
                5,
                1,
                false,
                Reason.of(ReasonCode.STEP_SUCCEEDED, "done."),
                Map.of());
    }

    private static ProducerRecord<String, Event<?>> record(EventData data) {
        Event<?> event = Event.of(URI.create("/test"), Instant.now(), data);
        return new ProducerRecord<>(TopicFamily.topicFor(data), event.subject(), event);
    }

    private void read(KafkaConsumer<String, byte[]> consumer) throws Exception {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            Event<?> event = EventCodec.instance().decode(record.value());
            if (!event.subject().equals(group)) {
                continue;
            }
            // A CloudEvent in Kafka's structured binding, like every other record drplane writes.
            assertThat(header(record, EventSerializer.CONTENT_TYPE_HEADER))
                    .as("content-type of %s", event.type())
                    .isEqualTo("application/cloudevents+json; charset=UTF-8");
            (event.data() instanceof Command ? commands : decisions).add(event.data());
        }
    }

    private long commandsOf(EventType type) {
        return commands.stream().filter(c -> c.eventType() == type).count();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private ApplicationContext start(Path plan, String instance) {
        return ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(FailoverCoordinatorApplication.SERVICE))
                .properties(Map.of(
                        "kafka.bootstrap.servers",
                        SharedKafka.bootstrapServers(),
                        "drplane.kafka-properties",
                        SharedKafka.propertiesFile().toString(),
                        "drplane.plan",
                        plan.toString(),
                        "drplane.instance",
                        instance,
                        "drplane.operator-keys",
                        TestKeys.OPERATOR_KEYS,
                        "drplane.command-keys",
                        TestKeys.COMMAND_KEYS,
                        "micronaut.server.port",
                        -1))
                .start();
    }
}
