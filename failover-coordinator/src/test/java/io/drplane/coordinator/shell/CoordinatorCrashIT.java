package io.drplane.coordinator.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drplane.coordinator.bench.CoordinatorProcess;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.FailoverStarted;
import io.drplane.events.HealthObserved;
import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.events.kafka.DeadLetteringReader;
import io.drplane.events.kafka.KafkaSettings;
import io.drplane.events.kafka.TopicProvisioner;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.SharedKafka;
import io.drplane.testsupport.TestConsumers;
import io.drplane.testsupport.TestPlans;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator killed outright (its JVM, as a lost node or an OOM kill would) is replaced by another instance that
 * gets its partitions once the broker gives up on the dead one's session, and the failover the dead one could not
 * decide is decided by the new one within seconds, not the client's default 45 s plus a rebalance.
 */
class CoordinatorCrashIT {

    @TempDir
    Path dir;

    private final String group = "crash-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void shouldDecideAFailoverOnAnotherInstanceSoonAfterTheOwnerIsKilled() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()))) {
            new TopicProvisioner(admin).apply(TopicSpec.all(List.of("us-east-1", "us-west-2")), (short) 1);
        }
        Path planFile = TestPlans.warmStandby(dir, group, "automatic");
        Plan plan = PlanLoader.load(planFile);
        Process owner = startOwner(planFile);
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(KafkaSettings.eventProducer(SharedKafka.bootstrapServers(), "crash-it"));
             KafkaConsumer<String, byte[]> snapshots = TestConsumers.fromBeginning(SharedKafka.bootstrapServers(),
                     TopicFamily.COORDINATOR_SNAPSHOTS.topic());
             KafkaConsumer<String, byte[]> decisions = TestConsumers.fromBeginning(SharedKafka.bootstrapServers(), TopicFamily.DECISIONS.topic())) {
            send(producer, new ReplicationLagObserved(group, "orders-db", "us-east-1", "us-west-2", LagStatus.MEASURED, 300L, null,
                    LagMethod.HEARTBEAT, Instant.now(), null));
            rounds(producer, true);
            // The owner has decided the healthy group and committed it.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : snapshots.poll(Duration.ofMillis(200))) {
                    if (group.equals(r.key())) {
                        return true;
                    }
                }
                return false;
            });

            owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            try (Running successor = new Running(new CoordinatorLoop(plan, SharedKafka.bootstrapServers(), "crash-2-" + group,
                    new DeadLetteringReader(new KafkaProducer<>(KafkaSettings.deadLetterProducer(SharedKafka.bootstrapServers(), "crash-it")),
                            "drplane-failover-coordinator", EventCodec.instance(), Clock.systemUTC())))) {
                // The primary goes down while no instance is deciding the group.
                rounds(producer, false);
                AtomicReference<FailoverStarted> started = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    for (ConsumerRecord<String, byte[]> r : decisions.poll(Duration.ofMillis(200))) {
                        Event<?> event = EventCodec.instance().decode(r.value());
                        if (group.equals(event.subject()) && event.data() instanceof FailoverStarted f) {
                            started.set(f);
                        }
                    }
                    return started.get() != null;
                });
                Duration afterKill = Duration.ofNanos(System.nanoTime() - killed);
                System.out.printf("failover decided %d ms after the owner was killed%n", afterKill.toMillis());
                assertThat(started.get().reason().code()).isEqualTo(ReasonCode.FAILOVER_AUTOMATIC);
                assertThat(successor.loop.owned()).contains(CoordinatorLoop.partitionOf(group));
                assertThat(afterKill).as("the session timeout (%s) and a rebalance, well under the client's default 45 s",
                        CoordinatorLoop.SESSION_TIMEOUT).isLessThan(Duration.ofSeconds(30));
            }
        } finally {
            owner.destroyForcibly();
        }
    }

    /** The coordinator in a JVM of its own, owning every partition. */
    private static Process startOwner(Path planFile) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CoordinatorProcess.class.getName(), SharedKafka.bootstrapServers(),
                planFile.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread output = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals("ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
        }, "crash-it-owner-output");
        output.setDaemon(true);
        output.start();
        if (!ready.await(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the owner's JVM did not take its partitions within 2 minutes");
        }
        return process;
    }

    /** Each vantage point sees the standby up and the primary as given, three times: enough to open the breakers. */
    private void rounds(KafkaProducer<String, Event<?>> producer, boolean primaryOk) throws Exception {
        for (int i = 0; i < 3; i++) {
            for (String vantage : List.of("v1", "v2", "v3")) {
                send(producer, observed("us-east-1", vantage, primaryOk));
                send(producer, observed("us-west-2", vantage, true));
            }
        }
    }

    private HealthObserved observed(String region, String vantage, boolean ok) {
        return new HealthObserved(group, region, "web", vantage, ProbeSource.HTTPS, ok ? ProbeOutcome.OK : ProbeOutcome.TIMEOUT,
                ok ? 200 : null, 10, Instant.now(), null);
    }

    private static void send(KafkaProducer<String, Event<?>> producer, EventData data) throws Exception {
        Event<?> event = Event.of(URI.create("/crash-it"), Instant.now(), data);
        producer.send(new ProducerRecord<>(TopicFamily.topicFor(data), event.subject(), event)).get(10, TimeUnit.SECONDS);
    }

    /** A loop on a thread of its own; closing stops it and waits for its thread. */
    private static final class Running implements AutoCloseable {
        final CoordinatorLoop loop;
        private final Thread thread;

        Running(CoordinatorLoop loop) {
            this.loop = loop;
            this.thread = new Thread(loop, "crash-it-successor");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            loop.close();
            thread.join(10_000);
        }
    }
}
