package io.drplane.coordinator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drplane.coordinator.FailoverCoordinator;
import io.drplane.coordinator.FailoverCoordinatorApplication;
import io.drplane.events.DatabaseKind;
import io.drplane.events.Event;
import io.drplane.events.EventData;
import io.drplane.events.Evidence;
import io.drplane.events.FailoverStarted;
import io.drplane.events.HealthObserved;
import io.drplane.events.LagMethod;
import io.drplane.events.LagStatus;
import io.drplane.events.ProbeOutcome;
import io.drplane.events.ProbeSource;
import io.drplane.events.PromoteReplica;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.ReplicationLagObserved;
import io.drplane.events.SwitchoverRequested;
import io.drplane.events.TopicFamily;
import io.drplane.events.TopicSpec;
import io.drplane.events.codec.EventCodec;
import io.drplane.kafka.DeadLetterHeaders;
import io.drplane.kafka.DeadLetteringReader;
import io.drplane.kafka.KafkaClientConfig;
import io.drplane.kafka.RecordSignatures;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import io.drplane.runtime.DrplaneService;
import io.drplane.testsupport.SecuredKafka;
import io.drplane.testsupport.TestKeys;
import io.drplane.testsupport.TestPlans;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * drplane on a broker that requires SASL and grants nothing without an ACL, each service with its own principal and
 * the ACLs {@link ServiceAcls} gives it: the coordinator fails over end to end with no more than those; a principal
 * without an ACL, or with another service's, cannot write an operator event or a command, nor read another region's
 * commands; and what the coordinator's own principal writes from outside the coordinator is refused by its signature
 * check.
 */
class SecuredBrokerIT {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2");

    private static SecuredKafka kafka;
    private static KafkaClientConfig admin;

    @TempDir
    Path dir;

    private final String group = "sec-" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void start() throws Exception {
        kafka = SecuredKafka.start();
        admin = as(kafka.adminConnection());
        try (Admin client = Admin.create(admin.admin(30_000))) {
            new TopicProvisioner(client).apply(TopicSpec.all(REGIONS), (short) 1);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldFailOverWithEachServicesOwnPrincipalAndRefuseEveryoneElse() throws Exception {
        KafkaClientConfig coordinator = principal("coordinator", ServiceAcls.Service.FAILOVER_COORDINATOR, null);
        KafkaClientConfig monitor = principal("monitor", ServiceAcls.Service.HEALTH_MONITOR, null);
        KafkaClientConfig executor = principal("executor-usw2", ServiceAcls.Service.REGION_EXECUTOR, "us-west-2");
        KafkaClientConfig tracker = principal("tracker", ServiceAcls.Service.REPLICATION_TRACKER, null);
        KafkaClientConfig mallory = as(kafka.user("mallory")); // authenticated, and granted nothing
        Plan plan = PlanLoader.load(TestPlans.warmStandby(dir, group, "automatic"));
        SwitchoverRequested forged = new SwitchoverRequested(group, "us-west-2", "mallory", "forged", Instant.now());
        int forgedTried = 0;
        int forgedRefused = 0;

        // Refused by the broker: writes without the ACL for the topic.
        for (KafkaClientConfig who : List.of(mallory, monitor, executor)) {
            forgedTried++;
            forgedRefused += refusedWrite(who, TopicFamily.OPERATOR.topic(), forged) ? 1 : 0;
        }
        PromoteReplica command = new PromoteReplica(
                group,
                group + "-forged:promote-database:9",
                group + "-forged",
                "us-west-2",
                9,
                Instant.now(),
                60_000,
                false,
                DatabaseKind.RDS_INSTANCE,
                "shop-db-replica",
                Reason.of(ReasonCode.FAILOVER_AUTOMATIC, "forged."),
                new Evidence(List.of(), Map.of()));
        for (KafkaClientConfig who : List.of(mallory, monitor, executor, tracker)) {
            forgedTried++;
            forgedRefused += refusedWrite(who, TopicFamily.COMMANDS.topic("us-west-2"), command) ? 1 : 0;
        }
        assertThat(forgedRefused)
                .as("every forged operator event and command refused by the broker")
                .isEqualTo(forgedTried);
        assertThatThrownBy(() ->
                        readOne(executor, TopicFamily.COMMANDS.topic("us-east-1"), "drplane-region-executor-us-west-2"))
                .as("an executor reads its own region's commands only")
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() ->
                        readOne(mallory, TopicFamily.COMMANDS.topic("us-west-2"), "drplane-region-executor-us-west-2"))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);

        try (CoordinatorLoopRunning running = new CoordinatorLoopRunning(new CoordinatorLoop(
                        plan,
                        coordinator,
                        "secured-" + group,
                        new DeadLetteringReader(
                                new KafkaProducer<>(coordinator.deadLetterProducer("secured")),
                                ServiceAcls.COORDINATOR_GROUP,
                                EventCodec.instance(),
                                Clock.systemUTC()),
                        RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                        RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")));
                KafkaProducer<String, Event<?>> monitorProducer =
                        new KafkaProducer<>(monitor.eventProducer("monitor"));
                KafkaProducer<String, Event<?>> trackerProducer =
                        new KafkaProducer<>(tracker.eventProducer("tracker"));
                KafkaProducer<String, Event<?>> outsideTheCoordinator =
                        new KafkaProducer<>(coordinator.eventProducer("outside"))) {
            CoordinatorLoop loop = running.loop();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));

            // The coordinator's own principal may write operator events (its API does), but without the API's key
            // what it writes from outside the coordinator is refused one step later.
            outsideTheCoordinator.send(record(forged)).get(10, TimeUnit.SECONDS);
            forgedTried++;

            for (int round = 0; round < 3; round++) {
                for (String v : List.of("v1", "v2", "v3")) {
                    monitorProducer.send(record(observed("us-east-1", v, true))).get(10, TimeUnit.SECONDS);
                    monitorProducer.send(record(observed("us-west-2", v, true))).get(10, TimeUnit.SECONDS);
                }
            }
            trackerProducer
                    .send(record(new ReplicationLagObserved(
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
            for (int round = 0; round < 3; round++) {
                for (String v : List.of("v1", "v2", "v3")) {
                    monitorProducer
                            .send(record(observed("us-east-1", v, false)))
                            .get(10, TimeUnit.SECONDS);
                }
            }

            // The failover's first command, read by the us-west-2 executor's principal with its group.
            List<EventData> commands = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> commandsTopic =
                    new KafkaConsumer<>(executor.consumer("drplane-region-executor-us-west-2", "executor-usw2"))) {
                commandsTopic.subscribe(List.of(TopicFamily.COMMANDS.topic("us-west-2")));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<String, byte[]> r : commandsTopic.poll(Duration.ofMillis(200))) {
                        EventData data = EventCodec.instance().decode(r.value()).data();
                        if (group.equals(r.key())) {
                            commands.add(data);
                        }
                    }
                    return commands.stream().anyMatch(c -> c instanceof PromoteReplica);
                });
            }
            assertThat(loop.view().timeline(group)).anyMatch(e -> e.data() instanceof FailoverStarted);
            assertThat(loop.view().timeline(group))
                    .as("the request written with the coordinator's principal from outside it was not decided")
                    .noneMatch(e -> e.data() instanceof SwitchoverRequested);
            assertThat(loop.problem(Duration.ofSeconds(30))).isEmpty();
        }

        List<String> refusals = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(admin.consumer(null, "it-dlq"))) {
            List<TopicPartition> partitions = dlq.partitionsFor(TopicFamily.DEADLETTER.topic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            dlq.assign(partitions);
            dlq.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(200))) {
                    if (group.equals(r.key())) {
                        Header message = r.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE);
                        refusals.add(new String(message.value(), StandardCharsets.UTF_8));
                    }
                }
                return !refusals.isEmpty();
            });
        }
        assertThat(refusals)
                .singleElement()
                .asString()
                .startsWith(
                        ReasonCode.OPERATOR_SIGNATURE_MISSING + ": the operator event carries no dr.signature header");
        forgedRefused++;
        System.out.printf(
                "secured broker: forged operator events and commands tried %d, refused %d (by the broker's ACLs or the"
                        + " coordinator's signature check)%n",
                forgedTried, forgedRefused);
        assertThat(forgedRefused).isEqualTo(forgedTried);
    }

    @Test
    void shouldStopAndSayWhyWhenTheCoordinatorsCredentialsAreWrong() throws Exception {
        principal("coordinator-2", ServiceAcls.Service.FAILOVER_COORDINATOR, null);
        KafkaClientConfig wrong = as(kafka.userWithPassword("coordinator-2", "not-the-password"));
        Plan plan = PlanLoader.load(TestPlans.warmStandby(dir, group, "automatic"));
        try (CoordinatorLoopRunning running = new CoordinatorLoopRunning(new CoordinatorLoop(
                plan,
                wrong,
                "wrong-" + group,
                new DeadLetteringReader(
                        new KafkaProducer<>(wrong.deadLetterProducer("wrong")),
                        ServiceAcls.COORDINATOR_GROUP,
                        EventCodec.instance(),
                        Clock.systemUTC()),
                RecordSignatures.parse(TestKeys.OPERATOR_KEYS, "test"),
                RecordSignatures.parse(RecordSignatures.Kind.COMMANDS, TestKeys.COMMAND_KEYS, "test")))) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> running.loop().problem(Duration.ofSeconds(30)).isPresent());
            String problem = running.loop().problem(Duration.ofSeconds(30)).orElseThrow();
            System.out.println("secured broker: wrong credentials: /health says " + problem);
            assertThat(problem)
                    .startsWith("the loop stopped: Kafka at " + kafka.bootstrapServers()
                            + " over SASL_PLAINTEXT with SCRAM-SHA-512 refused the coordinator's credentials:")
                    .contains("invalid credentials")
                    .doesNotContain("not-the-password");
        }
    }

    @Test
    void shouldRunTheCoordinatorServiceFromAClientPropertiesFileWithItsSecretInAnotherFile() throws Exception {
        principal("coordinator-svc", ServiceAcls.Service.FAILOVER_COORDINATOR, null);
        String jaas = (String) kafka.user("coordinator-svc").get("sasl.jaas.config");
        String password = jaas.replaceAll(".*password=\"([^\"]*)\".*", "$1");
        // The secret in a file of its own (a mounted secret), the client settings in the file DRPLANE_KAFKA_PROPERTIES
        // names, in Kafka's own property names and config providers.
        Path secret = Files.writeString(dir.resolve("kafka-secret.properties"), "password=" + password + "\n");
        Path properties = Files.writeString(
                dir.resolve("kafka.properties"),
                String.join(
                        "\n",
                        "security.protocol=SASL_PLAINTEXT",
                        "sasl.mechanism=SCRAM-SHA-512",
                        "config.providers=file",
                        "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"coordinator-svc\" password=\"${file:" + secret + ":password}\";",
                        ""));
        Path plan = TestPlans.warmStandby(dir, group, "automatic");
        try (ApplicationContext context = ApplicationContext.builder()
                .propertySources(DrplaneService.defaults(FailoverCoordinatorApplication.SERVICE))
                .properties(Map.of(
                        "drplane.kafka-properties", // DRPLANE_KAFKA_PROPERTIES
                        properties.toString(),
                        "kafka.bootstrap.servers",
                        kafka.bootstrapServers(),
                        "drplane.plan",
                        plan.toString(),
                        "drplane.instance",
                        "svc-" + group,
                        "drplane.operator-keys",
                        TestKeys.OPERATOR_KEYS,
                        "drplane.command-keys",
                        TestKeys.COMMAND_KEYS,
                        "micronaut.server.port",
                        -1))
                .start()) {
            CoordinatorLoop loop = context.getBean(FailoverCoordinator.class).loop();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> loop.owned().contains(CoordinatorClients.partitionOf(group)));
            URI url = context.getBean(EmbeddedServer.class).start().getURI();
            // micronaut-kafka's health check connects with the same settings as drplane's own clients.
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(url.resolve("/health")).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).contains("\"kafka\"").doesNotContain(password);
            assertThat(context.getBean(KafkaClientConfig.class).toString()).doesNotContain(password);
        }
    }

    /** A SCRAM user for the service, with the ACLs drplane ships for it and no others. */
    private static KafkaClientConfig principal(String name, ServiceAcls.Service service, String region)
            throws Exception {
        KafkaClientConfig config = as(kafka.user(name));
        List<AclBinding> acls = ServiceAcls.of(service, "User:" + name, region, REGIONS);
        try (Admin client = Admin.create(admin.admin(30_000))) {
            client.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
        return config;
    }

    private static KafkaClientConfig as(Map<String, Object> connection) {
        return KafkaClientConfig.plaintext(kafka.bootstrapServers()).withConnection(connection);
    }

    /** Whether the broker refused the write for want of an ACL. */
    private static boolean refusedWrite(KafkaClientConfig who, String topic, EventData data) throws Exception {
        try (KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(who.eventProducer("forger"))) {
            Event<?> event = Event.of(URI.create("/forger"), Instant.now(), data);
            producer.send(new ProducerRecord<>(topic, event.subject(), event)).get(30, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TopicAuthorizationException;
        }
    }

    private static void readOne(KafkaClientConfig who, String topic, String consumerGroup) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(who.consumer(consumerGroup, "reader"))) {
            consumer.subscribe(List.of(topic));
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200));
            }
        } catch (TopicAuthorizationException | GroupAuthorizationException e) {
            throw new IllegalStateException("refused", e);
        }
    }

    private static ProducerRecord<String, Event<?>> record(EventData data) {
        Event<?> event = Event.of(URI.create("/test"), Instant.now(), data);
        return new ProducerRecord<>(TopicFamily.topicFor(data), event.subject(), event);
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

    /** A loop on a thread of its own; closing stops it and waits for its thread. */
    private static final class CoordinatorLoopRunning implements AutoCloseable {
        private final CoordinatorLoop loop;
        private final Thread thread;

        CoordinatorLoopRunning(CoordinatorLoop loop) {
            this.loop = loop;
            this.thread = new Thread(loop, "secured-coordinator");
            thread.start();
        }

        CoordinatorLoop loop() {
            return loop;
        }

        @Override
        public void close() throws InterruptedException {
            loop.close();
            thread.join(10_000);
        }
    }
}
